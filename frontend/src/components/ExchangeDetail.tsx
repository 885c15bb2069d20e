import { useState } from 'react';
import { BookmarkPlus, Copy, RotateCcw, ShieldCheck } from 'lucide-react';
import type { ExchangeView, MessageView } from '../api';
import { prettyBody } from '../lib/traffic';

// Body renders a recorded body as text. It must never be parsed as markup:
// React escapes it, and nothing here uses dangerouslySetInnerHTML. JSON is
// indented for reading.
export function Body({ m, label }: { m: MessageView; label: string }) {
  if (m.kind === 'empty') return <div className="muted small">No body.</div>;
  return (
    <div>
      <div className="muted small">
        {label} body · {m.kind} · {m.size} bytes{m.truncated ? ' · truncated' : ''}
      </div>
      <pre className="body" data-kind={m.kind}>
        {prettyBody(m)}
      </pre>
    </div>
  );
}

// Header values that change on every run (masked in screenshots).
const volatileHeaders = new Set(['date', 'host', 'x-request-id', 'connectorlab-exchange', 'retry-after']);

export function Headers({ m }: { m: MessageView }) {
  if (m.headers.length === 0) return null;
  return (
    <table className="headers small mono">
      <tbody>
        {m.headers.map((h, i) => (
          <tr key={i} className={h.redacted ? 'redacted-row' : undefined}>
            <td>{h.name}</td>
            <td data-volatile={volatileHeaders.has(h.name.toLowerCase()) || undefined}>
              {h.value} {h.redacted && <span className="badge redacted">redacted</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface ExchangeActions {
  onCopyCurl?: (x: ExchangeView) => void;
  // onReplay sends the request again; absent when no mock can answer it.
  onReplay?: (x: ExchangeView) => void;
  // onSaveCase saves the exchange into the named recording session (a
  // test case the Contract screen and `connectorlab test` replay).
  onSaveCase?: (x: ExchangeView, session: string) => Promise<void>;
}

export const defaultCaseSession = 'test cases';

function SaveCase({ x, onSave }: { x: ExchangeView; onSave: (x: ExchangeView, session: string) => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(defaultCaseSession);
  const [busy, setBusy] = useState(false);
  const can = !!x.row.status && x.row.source !== 'event';
  if (!open)
    return (
      <button className="small icon-text" onClick={() => setOpen(true)} disabled={!can} title={can ? 'Keep this exchange as a test case in a recording session' : 'Only an answered request can be a test case'}>
        <BookmarkPlus size={14} aria-hidden /> Save as test case
      </button>
    );
  return (
    <form
      className="inline-form row"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        void onSave(x, name.trim()).finally(() => {
          setBusy(false);
          setOpen(false);
        });
      }}
    >
      <label className="inline small">
        Session
        <input aria-label="Test-case session" value={name} autoFocus onChange={(e) => setName(e.target.value)} />
      </label>
      <button className="primary small" type="submit" disabled={busy || !name.trim()}>
        Save
      </button>
      <button className="ghost small" type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}

export function ExchangeDetail({ x, onCopyCurl, onReplay, onSaveCase }: { x: ExchangeView } & ExchangeActions) {
  const r = x.row;
  return (
    <div className="exchange" data-testid="exchange-detail">
      <div className="row wrap">
        <strong className="mono ellipsis exchange-url" title={x.url}>
          {r.method} {x.url}
        </strong>
        <span className={'badge ' + (r.status >= 400 || !r.status ? 'error' : 'ok')}>{r.status || 'no response'}</span>
        <span className="muted small" data-volatile>
          {r.millis} ms
        </span>
        <span className="small">
          operation: <span className="mono">{r.operationId || 'none matched'}</span>
        </span>
      </div>
      {(onCopyCurl || onReplay || onSaveCase) && (
        <div className="row actions-bar">
          {onCopyCurl && (
            <button className="small icon-text" onClick={() => onCopyCurl(x)}>
              <Copy size={14} aria-hidden /> Copy as curl
            </button>
          )}
          {onReplay && (
            <button className="small icon-text" onClick={() => onReplay(x)} title="Send this request to the running mock again">
              <RotateCcw size={14} aria-hidden /> Replay this
            </button>
          )}
          {onSaveCase && <SaveCase key={x.row.seq} x={x} onSave={onSaveCase} />}
        </div>
      )}
      {r.error && <div className="error-text small">{r.error}</div>}
      <div className="validation small">
        <strong>Validation and notes</strong>{' '}
        {x.notes.length === 0 ? (
          <span className="ok-text">request and response match the definition</span>
        ) : (
          <ul>
            {x.notes.map((n, i) => (
              <li key={i}>
                <span className={`badge ${n.level || 'info'}`}>{n.level || 'info'}</span> <span className="mono">{n.id}</span> {n.message}
                {n.pointer && <span className="mono muted"> at {n.pointer}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
      {x.redactions.length > 0 && (
        <div className="small redactions">
          <ShieldCheck size={14} aria-hidden /> <strong>Redacted before storing</strong>:{' '}
          {x.redactions.map((rd, i) => (
            <span key={i} className="badge redacted">
              {rd.where} {rd.name}
            </span>
          ))}
        </div>
      )}
      <div className="two-col">
        <div>
          <h4>Request</h4>
          <Headers m={x.request} />
          <Body m={x.request} label="Request" />
        </div>
        <div>
          <h4>Response</h4>
          <Headers m={x.response} />
          <Body m={x.response} label="Response" />
        </div>
      </div>
    </div>
  );
}
