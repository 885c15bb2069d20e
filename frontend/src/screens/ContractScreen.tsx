import { useCallback, useEffect, useRef, useState } from 'react';
import { backend, Events, type ConnectorView, type ContractProgress, type ContractRunView, type OperationResult, type RunSummary, type SessionView } from '../api';
import { ConnectionParams } from '../components/ConnectionParams';
import { JsonSideBySide } from '../components/JsonSideBySide';
import { TrendChart } from '../components/TrendChart';
import { EmptyState } from '../components/EmptyState';
import { FlaskConical, Play } from 'lucide-react';

interface Props {
  current: ConnectorView | null;
  onError: (e: unknown) => void;
}

export function ContractScreen({ current, onError }: Props) {
  if (!current) {
    return (
      <section className="screen" data-testid="screen-contract-tests">
        <h1>Contract tests</h1>
        <EmptyState icon={<FlaskConical size={28} aria-hidden />} title="No connector open">
          Open a connector on the Connectors screen (Ctrl+1), record a session on the Record screen (Ctrl+5), then replay it here against the mock or the live API.
        </EmptyState>
      </section>
    );
  }
  return <ContractFor key={current.path} c={current} onError={onError} />;
}

function ContractFor({ c, onError }: { c: ConnectorView; onError: (e: unknown) => void }) {
  const [sessions, setSessions] = useState<SessionView[]>([]);
  const [sessionId, setSessionId] = useState(0);
  const [generate, setGenerate] = useState(false);
  const [target, setTarget] = useState('');
  const [authSet, setAuthSet] = useState(c.auth.sets[0]?.name ?? '');
  const [params, setParams] = useState<Record<string, string>>({});
  const [policies, setPolicies] = useState(false);
  const [run, setRun] = useState<ContractRunView | null>(null);
  const [progress, setProgress] = useState<ContractProgress | null>(null);
  const [history, setHistory] = useState<RunSummary[]>([]);
  const [note, setNote] = useState('');

  const loadHistory = useCallback(() => backend().contractHistory(c.name).then(setHistory).catch(onError), [c.name, onError]);
  // pickedGenerate: the user chose generated requests (else they are
  // only the default while no session exists).
  const pickedGenerate = useRef(false);
  const loadSessions = useCallback(
    () =>
      backend()
        .sessions(c.name)
        .then((s) => {
          setSessions(s);
          // Keep the user's pick; offer the newest session otherwise.
          setSessionId((id) => (s.some((x) => x.id === id) ? id : (s[0]?.id ?? 0)));
          setGenerate(s.length === 0 || pickedGenerate.current);
        })
        .catch(onError),
    [c.name, onError],
  );
  // The screen stays mounted: sessions recorded and mocks started after it
  // opened arrive by events.
  useEffect(() => {
    const offRec = backend().on(Events.RecordState, (st) => {
      if (!st.running) void loadSessions();
    });
    const offMock = backend().on(Events.MockState, (st) => {
      if (st.path === c.path && st.running && st.url) setTarget((t) => t || st.url!);
    });
    const offSessions = backend().on(Events.SessionsChanged, () => void loadSessions());
    return () => {
      offRec();
      offMock();
      offSessions();
    };
  }, [c.path, loadSessions]);
  useEffect(() => {
    void loadSessions();
    backend()
      .mockList()
      .then((ms) => {
        const m = ms.find((x) => x.path === c.path);
        if (m?.url) setTarget((t) => t || m.url!);
      })
      .catch(onError);
    void loadHistory();
  }, [c.name, c.path, onError, loadHistory, loadSessions]);

  useEffect(() => {
    if (!run?.running) return;
    const key = run.key;
    const offP = backend().on(Events.ContractProgress, (p: ContractProgress) => {
      if (p.key === key) setProgress(p);
    });
    const offD = backend().on(Events.ContractDone, (v: ContractRunView) => {
      if (v.key === key) {
        setRun(v);
        void loadHistory();
      }
    });
    // The run may have finished before we subscribed.
    backend()
      .contractResult(key)
      .then((v) => {
        if (!v.running) {
          setRun(v);
          void loadHistory();
        }
      })
      .catch(() => undefined);
    return () => {
      offP();
      offD();
    };
  }, [run?.key, run?.running, loadHistory]);

  const start = async () => {
    setNote('');
    setProgress(null);
    try {
      setRun(await backend().contractRun({ path: c.path, sessionId: generate ? 0 : sessionId, generate, target, authSet, params, policies }));
    } catch (e) {
      onError(e);
    }
  };
  const exportAs = async (format: string) => {
    if (!run) return;
    try {
      const p = await backend().contractExport(run.key, format, '');
      if (p) setNote(`Report written to ${p}`);
    } catch (e) {
      onError(e);
    }
  };
  const pct = progress && progress.total ? Math.min(100, Math.round((100 * progress.done) / progress.total)) : 0;

  return (
    <section className="screen" data-testid="screen-contract-tests">
      <h1>
        Contract tests <span className="muted">· {c.name}</span>
      </h1>
      <div className="card">
        <div className="row wrap">
          <label>
            Replay
            <select
              aria-label="Session"
              value={generate ? 'generate' : String(sessionId)}
              onChange={(e) => {
                pickedGenerate.current = e.target.value === 'generate';
                if (e.target.value === 'generate') setGenerate(true);
                else {
                  setGenerate(false);
                  setSessionId(Number(e.target.value));
                }
              }}
            >
              {sessions.map((s) => (
                <option key={s.id} value={s.id}>
                  session {s.name} ({s.exchanges} exchanges)
                </option>
              ))}
              <option value="generate">requests generated from the definition</option>
            </select>
          </label>
          <label className="grow">
            Target
            <input aria-label="Target URL" data-volatile value={target} placeholder="the mock's URL, staging or the live API" onChange={(e) => setTarget(e.target.value)} />
          </label>
          <label className="inline check">
            <input type="checkbox" checked={policies} onChange={(e) => setPolicies(e.target.checked)} /> apply request policies
          </label>
        </div>
        <ConnectionParams c={c} authSet={authSet} setAuthSet={setAuthSet} values={params} onChange={setParams} />
        <div className="row">
          <button className="primary icon-text" data-shortcut="primary" aria-keyshortcuts="Control+Enter" title="Run (Ctrl+Enter)" onClick={() => void start()} disabled={!!run?.running || !target.trim()}>
            <Play size={14} aria-hidden /> Run contract test
          </button>
          {run?.running && (
            <button onClick={() => void backend().contractCancel(run.key)} className="danger">
              Cancel
            </button>
          )}
          {run?.running && (
            // Regression (issue 16): a finished run showed a 70% bar beside
            // "done"; the bar is only there while the run goes on.
            <div className="progress grow" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} data-testid="contract-progress">
              <div className="progress-fill" style={{ width: `${pct}%` }} />
              <span className="progress-text small">
                {progress?.done ?? 0} / {progress?.total ?? run.total} cases{progress?.what ? ` · ${progress.what}` : ''}
              </span>
            </div>
          )}
          {run && !run.running && (
            <div className={'run-done grow small ' + (run.passed ? 'ok' : 'failed')} data-testid="contract-progress">
              {run.passed ? 'passed' : 'finished with failures'} · {run.total} cases · done in <span data-volatile>{run.millis} ms</span>
            </div>
          )}
        </div>
      </div>
      {run && !run.running && <RunResult run={run} onExport={exportAs} note={note} />}
      <div className="card">
        <h3>History</h3>
        <div className="row history">
          <TrendChart runs={history} />
          <table className="small runs">
            <thead>
              <tr>
                <th>Run</th>
                <th>When</th>
                <th>Target</th>
                <th>Passed</th>
                <th>Failed</th>
              </tr>
            </thead>
            <tbody>
              {history.slice(0, 8).map((r) => (
                <tr key={r.id}>
                  <td>
                    #{r.id} <span className={'badge ' + (r.status === 'passed' ? 'ok' : 'error')}>{r.status}</span>
                  </td>
                  <td data-volatile>{new Date(r.started).toLocaleString()}</td>
                  <td className="mono ellipsis" data-volatile>
                    {r.target}
                  </td>
                  <td>
                    {r.passed}/{r.total}
                  </td>
                  <td>{r.failed + r.errors}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

function RunResult({ run, onExport, note }: { run: ContractRunView; onExport: (f: string) => void; note: string }) {
  return (
    <div className="card" data-testid="contract-result">
      {run.error && (
        <div className="error-text" role="alert">
          {run.error}
        </div>
      )}
      <div className="row">
        <span className={'badge ' + (run.passed ? 'ok' : 'error')} data-testid="contract-verdict">
          {run.passed ? 'passed' : 'failed'}
        </span>
        <span className="small">
          {run.total} cases · {run.counts.error ?? 0} errors · {run.counts.warning ?? 0} warnings · {run.counts.info ?? 0} info
        </span>
        {run.customCode && <span className="badge custom">custom code: differences may come from the script</span>}
        <span className="grow" />
        <span className="muted small">Export</span>
        <button className="small" onClick={() => onExport('junit')}>JUnit</button>
        <button className="small" onClick={() => onExport('html')}>HTML</button>
        <button className="small" onClick={() => onExport('json')}>JSON</button>
      </div>
      {note && <div className="small ok-text">{note}</div>}
      {run.findings.length > 0 && (
        <ul className="small">
          {run.findings.map((f, i) => (
            <li key={i}>
              <span className={`badge ${f.level}`}>{f.id}</span> {f.operation} {f.message}
            </li>
          ))}
        </ul>
      )}
      <div className="op-results">
        {run.operations.map((o) => (
          <OperationBlock key={o.operation} o={o} />
        ))}
      </div>
      {run.noise && run.noise.length > 0 && (
        <details className="small muted">
          <summary>Ignored as noise ({run.noise.length})</summary>
          <ul>
            {run.noise.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

const verdictClass: Record<string, string> = { passed: 'ok', warning: 'warning', failed: 'error', error: 'error', skipped: 'info' };

function OperationBlock({ o }: { o: OperationResult }) {
  const [open, setOpen] = useState(o.verdict === 'failed' || o.verdict === 'error');
  return (
    <div className="op-result" data-operation={o.operation}>
      <button className="op-result-head" onClick={() => setOpen(!open)} aria-expanded={open}>
        <span className={`badge ${verdictClass[o.verdict]}`}>{o.verdict}</span> <span className="mono">{o.operation}</span>
        <span className="muted small">
          {o.passed} passed{o.failed ? `, ${o.failed} failed` : ''}
          {o.warnings ? `, ${o.warnings} warnings` : ''}
          {o.errors ? `, ${o.errors} errors` : ''}
          {o.skipped ? `, ${o.skipped} skipped` : ''}
        </span>
      </button>
      {open &&
        o.cases.map((cs, i) => (
          <div key={i} className="case">
            <div className="row small">
              <span className={`badge ${verdictClass[cs.verdict]}`}>{cs.verdict}</span>
              <span className="mono">
                {cs.method} {cs.url}
              </span>
              <span>→ {cs.status || '—'}</span>
              <span className="muted">{cs.millis.toFixed(1)} ms</span>
            </div>
            {cs.error && <div className="error-text small">{cs.error}</div>}
            {cs.skipped && <div className="muted small">skipped: {cs.skipped}</div>}
            {cs.findings.length > 0 && (
              <ul className="small">
                {cs.findings.map((f, j) => (
                  <li key={j}>
                    <span className={`badge ${f.level}`}>{f.id}</span> {f.message}
                    {f.field && <span className="mono muted"> {f.field}</span>}
                    {(f.old || f.new) && (
                      <span className="mono">
                        {' '}
                        <span className="side-old">{f.old || '∅'}</span> → <span className="side-new">{f.new || '∅'}</span>
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {(cs.recorded || cs.replayed) && <JsonSideBySide recorded={cs.recorded ?? ''} replayed={cs.replayed ?? ''} />}
          </div>
        ))}
      {open && o.summarised > 0 && (
        <div className="muted small" data-testid="op-summarised">
          {o.summarised} more cases counted above, not listed (a run lists its first 1,000 failing and 100 passing cases)
        </div>
      )}
    </div>
  );
}
