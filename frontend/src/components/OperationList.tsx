import { useEffect, useMemo, useRef, useState } from 'react';
import type { OperationGroup, OperationView } from '../api';
import { filterGroups, limitGroups, OPS_PAGE } from '../lib/operations';

export function MethodBadge({ method }: { method: string }) {
  return <span className={`method m-${method.toLowerCase()}`}>{method}</span>;
}

// OperationList shows operations grouped as the maker portal does. A large
// connector's list renders OPS_PAGE operations and more as its end scrolls
// into view (or its "show more" button is pressed), so opening one costs the
// webview the few it shows, not all of them.
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
  const [limit, setLimit] = useState(OPS_PAGE);
  const shown = useMemo(() => filterGroups(groups, q), [groups, q]);
  const { groups: rendered, hidden } = useMemo(() => limitGroups(shown, limit), [shown, limit]);
  const more = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const el = more.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((es) => {
      if (es.some((e) => e.isIntersecting)) setLimit((l) => l + OPS_PAGE);
    }, { rootMargin: '300px' });
    io.observe(el);
    return () => io.disconnect();
    // A new observer per page: its first callback loads the next one when
    // the button is still in view after the last.
  }, [limit, hidden > 0]);
  return (
    <div className="operations">
      <input aria-label="Filter operations" placeholder="Filter by summary, operationId or path" value={q} onChange={(e) => setQ(e.target.value)} />
      {rendered.map((g) => (
        <div key={g.title} className="op-group">
          <h3>
            {g.title} <span className="muted">({g.total})</span>
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
      {hidden > 0 && (
        <button ref={more} className="ghost small op-more" data-testid="ops-more" onClick={() => setLimit((l) => l + OPS_PAGE)}>
          Show {Math.min(hidden, OPS_PAGE)} more of {hidden} operations
        </button>
      )}
      {shown.length === 0 && <div className="muted">No operation matches “{q}”.</div>}
    </div>
  );
}
