import { useCallback, useEffect, useState } from 'react';
import { backend, Events, type ConnectorView, type ExchangeView, type MockConfig, type MockStatus, type OperationView } from '../api';
import { OperationList } from '../components/OperationList';
import { TryItPanel } from '../components/TryItPanel';
import { TrafficList } from '../components/TrafficList';
import { ExchangeDetail } from '../components/ExchangeDetail';
import { useTraffic } from '../lib/useTraffic';
import { TriggersPanel } from '../components/TriggersPanel';
import { MockModes } from './MockModes';

const defaultConfig = (path: string): MockConfig => ({ path, port: 0, seed: 0, validate: true, auth: true, stateful: false, scenario: '', faults: {} });

interface Props {
  current: ConnectorView | null;
  onError: (e: unknown) => void;
}

export function MockScreen({ current, onError }: Props) {
  if (!current) {
    return (
      <section className="screen" data-testid="screen-mock">
        <h1>Mock</h1>
        <div className="card empty">Open a connector on the Connectors screen first; its mock starts here.</div>
      </section>
    );
  }
  return <MockFor key={current.path} c={current} onError={onError} />;
}

function MockFor({ c, onError }: { c: ConnectorView; onError: (e: unknown) => void }) {
  const [status, setStatus] = useState<MockStatus | null>(null);
  const [cfg, setCfg] = useState<MockConfig>(() => defaultConfig(c.path));
  const [op, setOp] = useState<OperationView | null>(c.groups[0]?.operations[0] ?? null);
  const [selected, setSelected] = useState<number | null>(null);
  const [detail, setDetail] = useState<ExchangeView | null>(null);
  const [busy, setBusy] = useState(false);
  const [pane, setPane] = useState<'try' | 'triggers'>('try');
  const stream = `mock:${c.path}`;
  const { rows, clear } = useTraffic(stream, onError);

  useEffect(() => {
    backend()
      .mockList()
      .then((all) => {
        const mine = all.find((m) => m.path === c.path);
        if (mine) {
          setStatus(mine);
          setCfg(mine.config as MockConfig);
        }
      })
      .catch(onError);
    return backend().on(Events.MockState, (st: MockStatus) => {
      if (st.path === c.path) setStatus(st);
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
  const select = useCallback(
    (seq: number) => {
      setSelected(seq);
      backend().trafficDetail(seq).then(setDetail).catch(onError);
    },
    [onError],
  );
  const num = (s: string) => (s === '' ? 0 : Number(s));
  const setFault = (k: keyof MockConfig['faults'], v: number) => setCfg({ ...cfg, faults: { ...cfg.faults, [k]: v } });

  return (
    <section className="screen" data-testid="screen-mock">
      <h1>
        Mock <span className="muted">· {c.name}</span>
      </h1>
      <div className="card mock-controls">
        <div className="row wrap">
          <label className="inline">
            Port
            <input aria-label="Port" type="number" min={0} max={65535} value={cfg.port || ''} placeholder="any" disabled={running} onChange={(e) => setCfg({ ...cfg, port: num(e.target.value) })} />
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
          <span className="grow" />
          {running ? (
            <>
              <a className="mono small url" data-testid="mock-url">
                {status?.url}
              </a>
              <button onClick={() => void act(() => backend().mockUpdate(cfg))} disabled={busy}>
                Apply changes
              </button>
              <button className="danger" onClick={() => void act(() => backend().mockStop(c.path))} disabled={busy}>
                Stop
              </button>
            </>
          ) : (
            <button className="primary" onClick={() => void act(() => backend().mockStart(cfg))} disabled={busy}>
              Start mock
            </button>
          )}
        </div>
        <div className="row wrap small">
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
          <label className="inline">
            Latency ms
            <input aria-label="Latency" type="number" min={0} value={cfg.faults.latencyMs ?? 0} onChange={(e) => setFault('latencyMs', num(e.target.value))} />
          </label>
          <label className="inline">
            to
            <input aria-label="Latency max" type="number" min={0} value={cfg.faults.latencyMaxMs ?? 0} onChange={(e) => setFault('latencyMaxMs', num(e.target.value))} />
          </label>
          <label className="inline">
            Error rate
            <input aria-label="Error rate" type="number" min={0} max={1} step={0.05} value={cfg.faults.errorRate ?? 0} onChange={(e) => setFault('errorRate', num(e.target.value))} />
          </label>
          <label className="inline">
            status
            <input aria-label="Error status" type="number" min={400} max={599} value={cfg.faults.errorStatus || ''} placeholder="500" onChange={(e) => setFault('errorStatus', num(e.target.value))} />
          </label>
          <label className="inline">
            Resets
            <input aria-label="Reset rate" type="number" min={0} max={1} step={0.05} value={cfg.faults.resetRate ?? 0} onChange={(e) => setFault('resetRate', num(e.target.value))} />
          </label>
          <label className="inline">
            Throttle after
            <input aria-label="Throttle" type="number" min={0} value={cfg.faults.throttle ?? 0} onChange={(e) => setFault('throttle', num(e.target.value))} />
          </label>
          <label className="inline">
            per s
            <input aria-label="Throttle window" type="number" min={0} value={cfg.faults.windowSec || ''} placeholder="60" onChange={(e) => setFault('windowSec', num(e.target.value))} />
          </label>
        </div>
        <MockModes c={c} cfg={cfg} setCfg={setCfg} status={status} onError={onError} />
        {status?.error && <div className="error-text small">The mock stopped: {status.error}</div>}
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
          </div>
          {pane === 'try' && (op ? <TryItPanel path={c.path} op={op} running={running} onError={onError} /> : <div className="muted">Pick an operation.</div>)}
          {pane === 'triggers' && <TriggersPanel path={c.path} running={running} onError={onError} />}
        </div>
      </div>
      <div className="card">
        <TrafficList rows={rows} selected={selected} onSelect={select} onClear={() => void clear()} />
      </div>
      {detail && <div className="card">{<ExchangeDetail x={detail} />}</div>}
    </section>
  );
}
