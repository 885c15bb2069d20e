import { useEffect, useMemo, useRef, useState } from 'react';
import { FilePlus2, FolderOpen, X } from 'lucide-react';
import { backend, type NewConnectorFinding, type NewConnectorPreview, type NewConnectorRequest, type SessionView } from '../api';
import { MethodBadge } from '../components/OperationList';
import './NewConnector.css';

export type SourceKind = 'file' | 'session' | 'blank';

interface Props {
  // onSaved opens the written folder on the Connectors screen.
  onSaved: (dir: string) => Promise<unknown>;
  onError: (e: unknown) => void;
  onClose: () => void;
}

const levels = ['error', 'warning', 'info'] as const;

// requestFor is the NewConnectorService form for the picked source.
export function requestFor(kind: SourceKind, file: string, session: string, name: string, auth: string, servicePrincipal: boolean): NewConnectorRequest {
  const r: NewConnectorRequest = { from: '', name: name.trim() || undefined, auth: auth || undefined, servicePrincipal: servicePrincipal && auth === 'aad' ? true : undefined };
  if (kind === 'file') r.from = file.trim();
  else if (kind === 'blank') r.from = 'blank';
  else r.session = session;
  return r;
}

// NewConnector is the New connector flow: pick a file (OpenAPI 3, Swagger
// 2.0, Postman v1/v2, HAR, Mockoon) or a recording session, choose the
// auth, review the operations and every conversion loss, then save the
// folder; it then opens on the Connectors screen.
export function NewConnector({ onSaved, onError, onClose }: Props) {
  const [kind, setKind] = useState<SourceKind>('file');
  const [file, setFile] = useState('');
  const [sessions, setSessions] = useState<SessionView[]>([]);
  const [session, setSession] = useState('');
  const [name, setName] = useState('');
  const [auths, setAuths] = useState<string[]>([]);
  const [auth, setAuth] = useState('');
  const [sp, setSp] = useState(false);
  const [preview, setPreview] = useState<NewConnectorPreview | null>(null);
  const [dir, setDir] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const [busy, setBusy] = useState('');

  // The latest onError, so an inline callback does not refetch.
  const report = useRef(onError);
  report.current = onError;
  useEffect(() => {
    backend()
      .newConnectorAuthKinds()
      .then(setAuths)
      .catch((e) => report.current(e));
  }, []);
  useEffect(() => {
    if (kind !== 'session') return;
    backend()
      .sessions('')
      .then((all) => {
        setSessions(all);
        setSession((cur) => cur || (all[0] ? `#${all[0].id}` : ''));
      })
      .catch((e) => report.current(e));
  }, [kind]);

  const req = useMemo(() => requestFor(kind, file, session, name, auth, sp), [kind, file, session, name, auth, sp]);
  // A changed form makes the preview stale: it must be built again
  // before saving, so what is saved is what was reviewed.
  useEffect(() => setPreview(null), [req]);
  const ready = kind === 'blank' || (kind === 'file' ? file.trim() !== '' : session !== '');

  const doPreview = async () => {
    setBusy('preview');
    try {
      const p = await backend().newConnectorPreview(req);
      setPreview(p);
    } catch (e) {
      setPreview(null);
      onError(e);
    } finally {
      setBusy('');
    }
  };
  const choose = async () => {
    try {
      const p = await backend().newConnectorChooseSource();
      if (p) {
        setKind('file');
        setFile(p);
      }
    } catch (e) {
      onError(e);
    }
  };
  const save = async (target: string) => {
    setBusy('save');
    try {
      const written = await backend().newConnectorSave(target, overwrite);
      if (written) await onSaved(written);
    } catch (e) {
      onError(e);
    } finally {
      setBusy('');
    }
  };

  return (
    <div className="card new-connector" data-testid="new-connector">
      <div className="row">
        <FilePlus2 size={18} aria-hidden />
        <h2 className="grow">New connector</h2>
        <button className="ghost icon" aria-label="Close the New connector form" onClick={onClose}>
          <X size={16} aria-hidden />
        </button>
      </div>
      <form
        className="nc-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) void doPreview();
        }}
      >
        <fieldset className="nc-kinds">
          <legend className="muted small">Create from</legend>
          {(
            [
              ['file', 'A file'],
              ['session', 'A recording'],
              ['blank', 'Blank'],
            ] as [SourceKind, string][]
          ).map(([k, label]) => (
            <label key={k} className={'nc-kind' + (kind === k ? ' active' : '')}>
              <input type="radio" name="nc-kind" value={k} checked={kind === k} onChange={() => setKind(k)} /> {label}
            </label>
          ))}
        </fieldset>
        {kind === 'file' && (
          <div className="row">
            <input
              aria-label="Source file"
              data-volatile
              className="grow"
              placeholder="OpenAPI 3 (JSON/YAML), Swagger 2.0, Postman v1/v2, HAR or Mockoon environment file"
              value={file}
              onChange={(e) => setFile(e.target.value)}
            />
            <button type="button" onClick={() => void choose()}>
              <FolderOpen size={14} aria-hidden /> Choose…
            </button>
          </div>
        )}
        {kind === 'session' &&
          (sessions.length > 0 ? (
            <select aria-label="Recording session" value={session} onChange={(e) => setSession(e.target.value)}>
              {sessions.map((s) => (
                <option key={s.id} value={`#${s.id}`}>
                  {s.name} · {s.connector} · {s.exchanges} exchanges
                </option>
              ))}
            </select>
          ) : (
            <div className="muted">No recorded session yet: record one on the Record screen (or import a HAR there), then learn a connector from it here.</div>
          ))}
        <div className="form-grid">
          <label>
            <span className="muted small">Name</span>
            <input aria-label="Connector name" placeholder="from the source" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            <span className="muted small">Authentication</span>
            <select aria-label="Authentication" value={auth} onChange={(e) => setAuth(e.target.value)}>
              <option value="">as the source says</option>
              {auths.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          {auth === 'aad' && (
            <label className="check">
              <input type="checkbox" checked={sp} onChange={(e) => setSp(e.target.checked)} /> also a service principal (client credentials)
            </label>
          )}
        </div>
        <div className="row">
          <button type="submit" className="primary" data-shortcut="primary" disabled={!ready || busy !== ''}>
            {busy === 'preview' ? 'Building…' : 'Preview'}
          </button>
          <span className="muted small">Nothing is written until you save.</span>
        </div>
      </form>
      {preview && <PreviewPane p={preview} />}
      {preview && (
        <form
          className="row nc-save"
          onSubmit={(e) => {
            e.preventDefault();
            void save(dir);
          }}
        >
          <input aria-label="Save in folder" data-volatile className="grow" placeholder="Folder to write the connector into (created if missing)" value={dir} onChange={(e) => setDir(e.target.value)} />
          <label className="check small">
            <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} /> replace a connector there
          </label>
          <button type="button" onClick={() => void save('')} disabled={busy !== ''}>
            <FolderOpen size={14} aria-hidden /> Choose and save…
          </button>
          <button type="submit" className="primary" disabled={!dir.trim() || busy !== ''}>
            {busy === 'save' ? 'Saving…' : 'Save connector'}
          </button>
        </form>
      )}
    </div>
  );
}

function PreviewPane({ p }: { p: NewConnectorPreview }) {
  const counts = p.counts ?? {};
  return (
    <div className="nc-preview" data-testid="new-connector-preview">
      <div className="row">
        <h3 className="grow">
          {p.name} <span className="muted small">from {p.source} · auth {p.auth} · {p.operations.length} operations</span>
        </h3>
        {levels.map((l) => (
          <span key={l} className={`badge ${counts[l] ? l : 'ok'}`}>
            {counts[l] ?? 0} {l === 'info' ? 'info' : l + 's'}
          </span>
        ))}
      </div>
      <div className="two-col">
        <div>
          <h4>Operations</h4>
          <table className="nc-ops">
            <tbody>
              {p.operations.map((o) => (
                <tr key={o.method + o.path} data-operation={o.operationId}>
                  <td>
                    <MethodBadge method={o.method} />
                  </td>
                  <td className="mono small">{o.path}</td>
                  <td>
                    <div>{o.summary}</div>
                    <div className="mono small muted">{o.operationId}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h4>What the conversion changed or lost</h4>
          {p.findings.length === 0 ? (
            <div className="ok-text">Nothing was lost: the source maps onto a connector as it is.</div>
          ) : (
            <LossList findings={p.findings} testid="new-connector-findings" />
          )}
        </div>
      </div>
      <details>
        <summary className="small">apiDefinition.swagger.json as it will be written</summary>
        <pre className="nc-def mono small">{p.definition}</pre>
      </details>
    </div>
  );
}

// LossList shows conversion findings: level, stable ID, where in the
// source, what and the fix.
export function LossList({ findings, testid }: { findings: NewConnectorFinding[]; testid?: string }) {
  return (
    <table className="findings losses" data-testid={testid}>
      <tbody>
        {findings.map((f, i) => (
          <tr key={i} className={`lvl-${f.level}`} data-finding={f.id}>
            <td>
              <span className={`badge ${f.level}`}>{f.level}</span>
            </td>
            <td>
              <div className="mono small">{f.id}</div>
              {f.location && <div className="mono small muted">{f.location}</div>}
            </td>
            <td>
              {f.message}
              {f.fix && <div className="fix small">Fix: {f.fix}</div>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
