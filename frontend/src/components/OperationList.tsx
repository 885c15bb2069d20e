import { useMemo, useState } from 'react';
import type { OperationGroup, OperationView } from '../api';
import { filterGroups } from '../lib/operations';

export function MethodBadge({ method }: { method: string }) {
  return <span className={`method m-${method.toLowerCase()}`}>{method}</span>;
}

// OperationList shows operations grouped as the maker portal does.
export function OperationList({
  groups,
  onSelect,
  selected,
}: {
  groups: OperationGroup[];
  onSelect?: (op: OperationView) => void;
  selected?: string;
}) {
  const [q, setQ] = useState('');
  const shown = useMemo(() => filterGroups(groups, q), [groups, q]);
  return (
    <div className="operations">
      <input aria-label="Filter operations" placeholder="Filter by summary, operationId or path" value={q} onChange={(e) => setQ(e.target.value)} />
      {shown.map((g) => (
        <div key={g.title} className="op-group">
          <h3>
            {g.title} <span className="muted">({g.operations.length})</span>
          </h3>
          <ul>
            {g.operations.map((o) => (
              <li
                key={o.id}
                className={'op' + (selected === o.id ? ' selected' : '') + (onSelect ? ' clickable' : '')}
                data-operation={o.id}
                onClick={onSelect ? () => onSelect(o) : undefined}
              >
                <div className="op-line">
                  <MethodBadge method={o.method} />
                  <span className="op-summary">{o.summary || o.id}</span>
                  {o.visibility && <span className={`badge vis-${o.visibility}`}>{o.visibility}</span>}
                  {o.trigger && (
                    <span className="badge trigger">
                      {o.trigger.kind} trigger{o.trigger.cardinality ? ` · ${o.trigger.cardinality}` : ''}
                    </span>
                  )}
                  {o.deprecated && <span className="badge warning">deprecated</span>}
                  {o.pageable && <span className="badge info">pageable</span>}
                  {o.customCode && <span className="badge custom">custom code</span>}
                </div>
                <div className="op-meta mono small">
                  <span>{o.id}</span> <span className="muted">{o.path}</span>
                </div>
                {o.dynamic && o.dynamic.length > 0 && (
                  <div className="small dyn">
                    {o.dynamic.map((d, i) => (
                      <span key={i} className="dyn-ref">
                        {d.target} ← dynamic {d.kind}
                        {d.operationId ? ` from ${d.operationId}` : ''}
                      </span>
                    ))}
                  </div>
                )}
                {o.referencedBy && o.referencedBy.length > 0 && (
                  <div className="small muted">fills dropdowns of {o.referencedBy.join(', ')}</div>
                )}
              </li>
            ))}
          </ul>
        </div>
      ))}
      {shown.length === 0 && <div className="muted">No operation matches “{q}”.</div>}
    </div>
  );
}
