import { useEffect, useMemo, useState } from 'react';
import { Save } from 'lucide-react';
import { backend, type ConnectorView, type OperationOverride } from '../api';
import { MethodBadge } from './OperationList';

// jsonProblem says why text is not JSON, or '' when it is.
export function jsonProblem(text: string): string {
  if (!text.trim()) return 'the custom body is empty';
  try {
    JSON.parse(text);
    return '';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function label(choice: string): string {
  if (choice.startsWith('status:')) return `declared ${choice.slice(7)}`;
  if (choice.startsWith('example:')) return `example “${choice.slice(8)}”`;
  return choice;
}

// OperationsPanel edits the connector's per-operation overrides: on/off,
// the answer (a declared status, an example, generated data or a custom
// JSON body), latency and error rate. Saving writes
// .connectorlab/overrides.json beside the connector and applies it to every
// running mock at once; the CLI reads the same file (mock --overrides).
export function OperationsPanel({ c, onError, onNotify }: { c: ConnectorView; onError: (e: unknown) => void; onNotify: (m: string) => void }) {
  const [rows, setRows] = useState<OperationOverride[] | null>(null);
  const [file, setFile] = useState('');
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    backend()
      .overrides(c.path)
      .then((v) => {
        setRows(v.operations ?? []);
        setFile(v.file);
      })
      .catch(onError);
  }, [c.path, onError]);
  const byId = useMemo(() => new Map((rows ?? []).map((r) => [r.operationId, r])), [rows]);
  if (!rows) return <div className="muted small">Loading the operations…</div>;
  const set = (id: string, patch: Partial<OperationOverride>) => {
    setRows(rows.map((r) => (r.operationId === id ? { ...r, ...patch } : r)));
    setDirty(true);
  };
  const problems = rows.filter((r) => r.response === 'custom' && jsonProblem(r.body ?? '') !== '');
  const save = async () => {
    try {
      const v = await backend().saveOverrides(c.path, rows);
      setRows(v.operations ?? []);
      setDirty(false);
      const n = (v.operations ?? []).filter((r) => r.disabled || r.response || r.latencyMs || r.errorRate).length;
      onNotify(`Saved ${n} override${n === 1 ? '' : 's'} to ${v.file}; the running mocks use them now`);
    } catch (e) {
      onError(e);
    }
  };
  return (
    <div className="ops-panel" data-testid="operations-panel">
      <div className="row">
        <span className="muted small grow ellipsis" title={file}>
          Saved in {file}; <span className="mono">connectorlab mock --overrides</span> reads the same file.
        </span>
        <button className="primary small icon-text" onClick={() => void save()} disabled={!dirty || problems.length > 0}>
          <Save size={14} aria-hidden /> Save
        </button>
      </div>
      {c.groups.map((g) => (
        <div key={g.title} className="op-group">
          <h3>
            {g.title} <span className="muted">({g.operations.length})</span>
          </h3>
          {g.operations.map((op) => {
            const r = byId.get(op.id);
            if (!r) return null;
            const problem = r.response === 'custom' ? jsonProblem(r.body ?? '') : '';
            return (
              <div key={op.id} className={'ovr' + (r.disabled ? ' off' : '')} data-override={op.id}>
                <div className="op-line">
                  <label className="inline check">
                    <input type="checkbox" aria-label={`Enable ${op.id}`} checked={!r.disabled} onChange={(e) => set(op.id, { disabled: !e.target.checked })} />
                  </label>
                  <MethodBadge method={op.method} />
                  <span className="op-summary grow ellipsis">{op.summary || op.id}</span>
                  {op.trigger && <span className="badge trigger">{op.trigger.kind} trigger</span>}
                  {op.dynamic && op.dynamic.length > 0 && <span className="badge info">dynamic</span>}
                  {!!r.rules && <span className="badge info">{r.rules} rules in the file</span>}
                </div>
                <div className="ovr-controls">
                  <select aria-label={`Answer of ${op.id}`} value={r.response ?? ''} disabled={r.disabled} onChange={(e) => set(op.id, { response: e.target.value, body: e.target.value === 'custom' && !r.body ? '{}' : r.body })}>
                    <option value="">as the mock would</option>
                    {r.choices.map((ch) => (
                      <option key={ch} value={ch}>
                        {label(ch)}
                      </option>
                    ))}
                    <option value="generated">generated from the schema</option>
                    <option value="custom">custom body…</option>
                  </select>
                  <label className="inline">
                    latency ms
                    <input aria-label={`Latency of ${op.id}`} type="number" min={0} value={r.latencyMs ?? 0} disabled={r.disabled} onChange={(e) => set(op.id, { latencyMs: Number(e.target.value || 0) })} />
                  </label>
                  <label className="inline">
                    errors
                    <input aria-label={`Error rate of ${op.id}`} type="number" min={0} max={1} step={0.05} value={r.errorRate ?? 0} disabled={r.disabled} onChange={(e) => set(op.id, { errorRate: Number(e.target.value || 0) })} />
                  </label>
                </div>
                {r.response === 'custom' && !r.disabled && (
                  <div className="ovr-custom">
                    <label className="inline">
                      status
                      <input aria-label={`Custom status of ${op.id}`} type="number" min={100} max={599} value={r.status || 200} onChange={(e) => set(op.id, { status: Number(e.target.value || 200) })} />
                    </label>
                    <textarea aria-label={`Custom body of ${op.id}`} rows={4} spellCheck={false} value={r.body ?? ''} aria-invalid={problem !== ''} onChange={(e) => set(op.id, { body: e.target.value })} />
                    {problem && <div className="error-text small">Not JSON yet: {problem}</div>}
                  </div>
                )}
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );
}
