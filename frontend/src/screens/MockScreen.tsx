import { useEffect, useMemo, useState } from 'react';
import { Copy, FileCode2, Globe, Play, Plus, Server, Square, Zap } from 'lucide-react';
import { backend, Events, type ConnectorView, type MockConfig, type MockStatus, type OperationView } from '../api';
import { OperationList } from '../components/OperationList';
import { TryItPanel } from '../components/TryItPanel';
import { TrafficPane } from '../components/TrafficPane';
import { useTrafficWindow, mockTraffic } from '../lib/useTrafficWindow';
import { TriggersPanel } from '../components/TriggersPanel';
import { MockModes } from './MockModes';
import { faultSummary } from '../lib/faults';
import { EmptyState } from '../components/EmptyState';
import { OperationsPanel } from '../components/OperationsPanel';
import { CustomCodePanel } from '../components/CustomCodePanel';

const defaultConfig = (path: string): MockConfig => ({ path, port: 0, seed: 0, validate: true, auth: true, stateful: false, scenario: '', faults: {} });

interface Props {
  current: ConnectorView | null;
  onError: (e: unknown) => void;
  onNotify: (msg: string) => void;
}

export function MockScreen({ current, onError, onNotify }: Props) {
  if (!current) {
    return (
      <section className="screen" data-testid="screen-mock">
        <h1>Mock</h1>
        <EmptyState icon={<Server size={28} aria-hidden />} title="No connector open">
          Open a connector on the Connectors screen (Ctrl+1): its mock starts here, with Try it, triggers and live traffic.
        </EmptyState>
      </section>
    );
  }
  return <MockFor key={current.path} c={current} onError={onError} onNotify={onNotify} />;
}

function MockFor({ c, onError, onNotify }: { c: ConnectorView; onError: (e: unknown) => void; onNotify: (msg: string) => void }) {
  const [status, setStatus] = useState<MockStatus | null>(null);
  const [cfg, setCfg] = useState<MockConfig>(() => defaultConfig(c.path));
  const [op, setOp] = useState<OperationView | null>(c.groups[0]?.operations[0] ?? null);
  const [busy, setBusy] = useState(false);
  const [pane, setPane] = useState<'try' | 'triggers' | 'operations' | 'code'>('try');
  const [codeSeen, setCodeSeen] = useState(false);
  useEffect(() => {
    if (pane === 'code') setCodeSeen(true);
  }, [pane]);
  const traffic = useTrafficWindow(mockTraffic(c.path), onError);
  const ops = useMemo(() => c.groups.flatMap((g) => g.operations), [c.groups]);

  useEffect(() => {
    backend()
      .mockList()
      .then((all) => {
        const mine = all.find((m) => m.path === c.path);
        if (mine) {
          setStatus(mine);
          if (mine.config) setCfg({ ...defaultConfig(c.path), ...(mine.config as MockConfig) });
        }
      })
      .catch(onError);
    return backend().on(Events.MockState, (st) => {
      // Follow the mock this screen controls; adopt one of this connector
      // when none runs (started from the sidebar or the command line).
      setStatus((cur) => {
        if (st.path !== c.path) return cur;
        if (!cur || !cur.running || cur.id === st.id) return st;
        return cur;
      });
    });
  }, [c.path, onError]);

  const running = !!status?.running;
  const act = async (fn: () => Promise<MockStatus>) => {
    setBusy(true);
    try {
      const st = await fn();
      setStatus(st);
      if (st.config) setCfg(st.config as MockConfig);
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  const startAnother = async () => {
    try {
      const st = await backend().mockStartMock({ ...cfg, path: c.path, port: 0 });
      onNotify(`Started another mock of ${c.name} at ${st.url}`);
    } catch (e) {
      onError(e);
    }
  };
  const num = (s: string) => (s === '' ? 0 : Number(s));
  const setFault = (k: keyof MockConfig['faults'], v: number) => setCfg({ ...cfg, faults: { ...cfg.faults, [k]: v } });
  const stop = () => act(() => (status?.id ? backend().mockStopMock(status.id) : backend().mockStop(c.path)));

  return (
    <section className="screen mock-screen" data-testid="screen-mock">
      <div className="screen-head">
        <h1>
          Mock <span className="muted">· {c.name}</span>
        </h1>
        {running ? (
          <span className="pill ok">
            <span className="dot running" /> running at{' '}
            <a className="mono url" data-testid="mock-url" data-volatile>
              {status?.url}
            </a>
            <button className="ghost icon" aria-label="Copy the mock URL" onClick={() => void backend().clipboard(status?.url ?? '').then(() => onNotify('Copied the mock URL'), onError)}>
              <Copy size={13} aria-hidden />
            </button>
          </span>
        ) : (
          <span className="pill">{status?.error ? 'stopped with an error' : 'not running'}</span>
        )}
      </div>
      <div className="card mock-controls">
        <div className="row wrap">
          <label className="inline">
            Port
            <input aria-label="Port" data-volatile={running || undefined} type="number" min={0} max={65535} value={cfg.port || ''} placeholder="any" disabled={running} onChange={(e) => setCfg({ ...cfg, port: num(e.target.value) })} />
          </label>
          <label className="inline">
            Seed
            <input aria-label="Seed" type="number" min={0} value={cfg.seed} onChange={(e) => setCfg({ ...cfg, seed: num(e.target.value) })} />
          </label>
          <label className="inline check">
            <input type="checkbox" checked={cfg.validate} onChange={(e) => setCfg({ ...cfg, validate: e.target.checked })} /> validate requests
          </label>
          <label className="inline check">
            <input type="checkbox" checked={cfg.auth} onChange={(e) => setCfg({ ...cfg, auth: e.target.checked })} /> enforce auth
          </label>
          <label className="inline check">
            <input type="checkbox" checked={cfg.stateful} disabled={running} onChange={(e) => setCfg({ ...cfg, stateful: e.target.checked })} /> stateful
          </label>
          <label className="inline check" title="Let webhook subscriptions name receivers on this machine or a private network (off: a web page could otherwise make the mock call local services)">
            <input type="checkbox" aria-label="Allow local callbacks" checked={!!cfg.allowPrivateCallbacks} disabled={running} onChange={(e) => setCfg({ ...cfg, allowPrivateCallbacks: e.target.checked })} /> local callbacks
          </label>
          <label className="inline">
            Scenario
            <select aria-label="Scenario" value={cfg.scenario ?? ''} onChange={(e) => setCfg({ ...cfg, scenario: e.target.value })}>
              <option value="">normal answers</option>
              <option value="dynamic=true">always generated data</option>
              <option value="code=404">everything 404</option>
              <option value="code=429">everything 429</option>
              <option value="code=500">everything 500</option>
            </select>
          </label>
          <span className="grow" />
          {running ? (
            <>
              <button onClick={() => void act(() => (status?.id ? backend().mockUpdateMock(status.id, cfg) : backend().mockUpdate(cfg)))} disabled={busy}>
                Apply changes
              </button>
              <button className="icon-text" onClick={() => void startAnother()} title="Run a second mock of this connector on another port">
                <Plus size={14} aria-hidden /> Another
              </button>
              <button className="danger icon-text" data-shortcut="primary" aria-keyshortcuts="Control+Enter" title="Stop (Ctrl+Enter)" onClick={() => void stop()} disabled={busy}>
                <Square size={14} aria-hidden /> Stop
              </button>
            </>
          ) : (
            <button className="primary icon-text" data-shortcut="primary" aria-keyshortcuts="Control+Enter" title="Start (Ctrl+Enter)" onClick={() => void act(() => backend().mockStart(cfg))} disabled={busy}>
              <Play size={14} aria-hidden /> Start mock
            </button>
          )}
        </div>
        <MockModes c={c} cfg={cfg} setCfg={setCfg} status={status} onError={onError} />
        <details className="faults" data-testid="cors">
          <summary>
            <Globe size={14} aria-hidden /> Web pages (CORS): <span className="fault-summary">{cfg.corsOrigin ? `${cfg.corsOrigin} may also write` : 'pages on this machine only'}</span>
          </summary>
          <div className="row wrap">
            <label className="inline check">
              <input
                type="checkbox"
                aria-label="Let another web origin write"
                checked={!!cfg.corsOrigin}
                disabled={running}
                onChange={(e) => setCfg({ ...cfg, corsOrigin: e.target.checked ? 'http://localhost:3000' : '' })}
              />{' '}
              let a web app of another origin make changing requests
            </label>
            {!!cfg.corsOrigin && (
              <label className="inline">
                Origin
                <input aria-label="CORS origin" className="mono" value={cfg.corsOrigin} disabled={running} placeholder="https://app.example.com" onChange={(e) => setCfg({ ...cfg, corsOrigin: e.target.value })} />
              </label>
            )}
          </div>
          <div className={'notice small' + (cfg.corsOrigin === '*' ? ' risk' : '')} role="note">
            Off (the default), only pages served from this machine may POST, PATCH or DELETE; other sites can only read. On, pages of{' '}
            {cfg.corsOrigin === '*' ? <b>every site you visit</b> : 'that origin'} can change the mock's state, subscribe webhooks and use its triggers while it runs
            (the CLI's <span className="mono">--cors-origin</span>). Give one origin, not <span className="mono">*</span>; no origin ever gets credentials.{' '}
            {running ? 'Chosen at start: stop the mock to change it.' : ''}
          </div>
        </details>
        <details className="faults" data-testid="faults">
          <summary>
            <Zap size={14} aria-hidden /> Faults: <span className="fault-summary">{faultSummary(cfg.faults)}</span>
          </summary>
          <div className="fault-grid">
            <label>
              Latency from (ms)
              <input aria-label="Latency" type="number" min={0} value={cfg.faults.latencyMs ?? 0} onChange={(e) => setFault('latencyMs', num(e.target.value))} />
            </label>
            <label>
              to (ms)
              <input aria-label="Latency max" type="number" min={0} value={cfg.faults.latencyMaxMs ?? 0} onChange={(e) => setFault('latencyMaxMs', num(e.target.value))} />
            </label>
            <label>
              Error rate (0–1)
              <input aria-label="Error rate" type="number" min={0} max={1} step={0.05} value={cfg.faults.errorRate ?? 0} onChange={(e) => setFault('errorRate', num(e.target.value))} />
            </label>
            <label>
              Error status
              <input aria-label="Error status" type="number" min={400} max={599} value={cfg.faults.errorStatus || ''} placeholder="500" onChange={(e) => setFault('errorStatus', num(e.target.value))} />
            </label>
            <label>
              Connection resets (0–1)
              <input aria-label="Reset rate" type="number" min={0} max={1} step={0.05} value={cfg.faults.resetRate ?? 0} onChange={(e) => setFault('resetRate', num(e.target.value))} />
            </label>
            <label>
              Throttle after (requests)
              <input aria-label="Throttle" type="number" min={0} value={cfg.faults.throttle ?? 0} onChange={(e) => setFault('throttle', num(e.target.value))} />
            </label>
            <label>
              per (s)
              <input aria-label="Throttle window" type="number" min={0} value={cfg.faults.windowSec || ''} placeholder="60" onChange={(e) => setFault('windowSec', num(e.target.value))} />
            </label>
          </div>
          <div className="muted small">{running ? 'Apply changes to use them; the port stays.' : 'They apply from the start.'}</div>
        </details>
        {status?.error && <div className="error-text small">The mock stopped: {status.error}</div>}
        {running && status?.codeWarning && (
          <div className="notice small" role="note" data-testid="code-warning">
            {status.codeWarning}
          </div>
        )}
      </div>
      <div className="mock-main">
        <div className="card mock-ops">
          <OperationList
            groups={c.groups}
            selected={op?.id}
            onSelect={(o) => {
              setOp(o);
              setPane('try');
            }}
          />
        </div>
        <div className="card mock-try">
          <div className="tabs" role="tablist">
            <button role="tab" aria-selected={pane === 'try'} className={'tab' + (pane === 'try' ? ' active' : '')} onClick={() => setPane('try')}>
              Try it
            </button>
            <button role="tab" aria-selected={pane === 'triggers'} className={'tab' + (pane === 'triggers' ? ' active' : '')} onClick={() => setPane('triggers')}>
              Triggers
            </button>
            <button role="tab" aria-selected={pane === 'operations'} className={'tab' + (pane === 'operations' ? ' active' : '')} onClick={() => setPane('operations')}>
              Operations
            </button>
            {c.customCode && (
              <button role="tab" aria-selected={pane === 'code'} className={'tab icon-text' + (pane === 'code' ? ' active' : '')} onClick={() => setPane('code')}>
                <FileCode2 size={13} aria-hidden /> Custom code
              </button>
            )}
          </div>
          {pane === 'try' && (op ? <TryItPanel key={`${c.path}\u0000${op.id}`} path={c.path} op={op} running={running} onError={onError} /> : <div className="muted">Pick an operation on the left.</div>)}
          {pane === 'triggers' && <TriggersPanel path={c.path} running={running} onError={onError} />}
          {pane === 'operations' && <OperationsPanel c={c} onError={onError} onNotify={onNotify} />}
          {/* Kept mounted once opened, so unsaved edits survive a tab switch. */}
          {c.customCode && (pane === 'code' || codeSeen) && (
            <div hidden={pane !== 'code'}>
              <CustomCodePanel c={c} onError={onError} onNotify={onNotify} />
            </div>
          )}
        </div>
      </div>
      <div className="card traffic-card">
        <TrafficPane
          traffic={traffic}
          onClear={() => void traffic.clear()}
          onError={onError}
          onNotify={onNotify}
          replayer={() => (running ? { path: c.path, ops } : null)}
          layout="below"
          height={360}
          empty={running ? `No traffic yet. Send a request with Try it, or point a client at ${status?.url}.` : 'No traffic yet. Start the mock (Ctrl+Enter), then send a request with Try it.'}
        />
      </div>
    </section>
  );
}
