import { useCallback, useEffect, useState } from 'react';
import { backend, type FireView, type TriggersView } from '../api';

// TriggersPanel drives the mock's trigger engine: webhook subscriptions
// and firing events, polling items and the cursors clients polled with.
export function TriggersPanel({ path, running, onError }: { path: string; running: boolean; onError: (e: unknown) => void }) {
  const [view, setView] = useState<TriggersView | null>(null);
  const [count, setCount] = useState(1);
  const [last, setLast] = useState<FireView | null>(null);
  const [payload, setPayload] = useState('');
  const refresh = useCallback(() => {
    if (running) backend().triggers(path).then(setView).catch(onError);
  }, [path, running, onError]);
  useEffect(() => {
    refresh();
    if (!running) return;
    const t = setInterval(refresh, 2000);
    return () => clearInterval(t);
  }, [refresh, running]);
  if (!running) return <div className="muted small">Start the mock to subscribe, fire events and follow polling cursors.</div>;
  if (!view) return <div className="muted small">Loading triggers…</div>;
  if (view.triggers.length === 0) return <div className="muted small">This connector declares no trigger.</div>;
  const fire = async (op: string) => {
    try {
      setLast(await backend().fire(path, op, count, payload));
      refresh();
    } catch (e) {
      onError(e);
    }
  };
  return (
    <div className="triggers" data-testid="triggers">
      <div className="row">
        <label className="inline">
          Events per fire
          <input aria-label="Events per fire" type="number" min={1} max={1000} value={count} onChange={(e) => setCount(Math.max(1, Number(e.target.value || 1)))} />
        </label>
        <label className="inline grow">
          Payload
          <input
            aria-label="Event payload"
            className="grow mono"
            value={payload}
            placeholder="empty: generated from the notification schema; or a JSON event / polling item"
            onChange={(e) => setPayload(e.target.value)}
          />
        </label>
        <button className="small" onClick={() => void backend().resetTriggers(path).then(refresh).catch(onError)}>
          Reset subscriptions and cursors
        </button>
      </div>
      <table className="small">
        <thead>
          <tr>
            <th>Trigger</th>
            <th>Kind</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {view.triggers.map((t) => (
            <tr key={t.operationId} data-trigger={t.operationId}>
              <td>
                <span className="mono">{t.operationId}</span> <span className="muted">{t.summary}</span>
              </td>
              <td>
                <span className="badge trigger">
                  {t.kind} · {t.cardinality}
                </span>
              </td>
              <td>{t.kind === 'webhook' ? `${t.subscriptions ?? 0} subscriptions` : `${t.items ?? 0} items made`}</td>
              <td>
                <button className="small" onClick={() => void fire(t.operationId)} title={t.kind === 'webhook' ? 'POST an event to every subscriber' : 'make new items for pollers'}>
                  Fire
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {last && (
        <div className="small" data-testid="fire-result">
          {last.deliveries.length > 0
            ? last.deliveries.map((d, i) => (
                <div key={i}>
                  <span className={'badge ' + ((d.status ?? 0) >= 200 && (d.status ?? 0) < 300 && !d.error ? 'ok' : 'error')}>{d.status || 'failed'}</span> {d.operationId} → <span className="mono">{d.callbackUrl}</span> ({d.attempts} attempts){d.error && <span className="error-text"> {d.error}</span>}
                </div>
              ))
            : null}
          {last.items && Object.entries(last.items).map(([op, n]) => <div key={op}>{n} new items for {op}</div>)}
          {last.idle && last.idle.length > 0 && <div className="muted">No subscriber for {last.idle.join(', ')}: subscribe with Try it first.</div>}
        </div>
      )}
      {view.subscriptions.length > 0 && (
        <>
          <h4>Subscriptions</h4>
          <table className="small" data-testid="subscriptions">
            <tbody>
              {view.subscriptions.map((s) => (
                <tr key={s.id}>
                  <td className="mono">{s.operationId}</td>
                  <td className="mono ellipsis">{s.callbackUrl}</td>
                  <td>
                    {s.deliveries} delivered, {s.failures} failed{s.lastStatus ? `, last ${s.lastStatus}` : ''}
                    {s.lastError && <div className="error-text">{s.lastError}</div>}
                    {s.warning && <div className="muted">{s.warning}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {view.cursors.length > 0 && (
        <>
          <h4>Recent polls</h4>
          <table className="small mono">
            <tbody>
              {view.cursors.slice(-8).map((c, i) => (
                <tr key={i}>
                  <td>{c.operationId}</td>
                  <td>
                    cursor {c.cursor} → {c.next}
                  </td>
                  <td>
                    {c.status} · {c.items} items
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
