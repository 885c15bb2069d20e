import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Activity, FlaskConical, GitCompare, Keyboard, Plug, Radio, Server, X } from 'lucide-react';
import { backend, Events, toApiError, type ConnectorView, type MockStatus } from './api';
import { Toasts, toastFrom, type Toast } from './components/Toasts';
import { MocksSidebar } from './components/MocksSidebar';
import { ConnectorsScreen } from './screens/ConnectorsScreen';
import { MockScreen } from './screens/MockScreen';
import { TrafficScreen } from './screens/TrafficScreen';
import { DiffScreen } from './screens/DiffScreen';
import { RecordScreen } from './screens/RecordScreen';
import { ContractScreen } from './screens/ContractScreen';
import { shortcutFor, shortcutHelp } from './lib/shortcuts';
import { upsertMock } from './lib/mocks';
import { ScreenActive } from './lib/screenActive';

export type ScreenId = 'connectors' | 'mock' | 'traffic' | 'diff' | 'record' | 'contract';

const screens: { id: ScreenId; label: string; icon: ReactNode }[] = [
  { id: 'connectors', label: 'Connectors', icon: <Plug size={16} aria-hidden /> },
  { id: 'mock', label: 'Mock', icon: <Server size={16} aria-hidden /> },
  { id: 'traffic', label: 'Traffic', icon: <Activity size={16} aria-hidden /> },
  { id: 'diff', label: 'Diff', icon: <GitCompare size={16} aria-hidden /> },
  { id: 'record', label: 'Record', icon: <Radio size={16} aria-hidden /> },
  { id: 'contract', label: 'Contract tests', icon: <FlaskConical size={16} aria-hidden /> },
];

// activeScreen is the element of the screen on show; every screen stays
// mounted (hidden when inactive) so its state survives switching.
function activeScreen(): HTMLElement | null {
  return document.querySelector<HTMLElement>('.screen-host:not([hidden])');
}

export default function App() {
  const [screen, setScreen] = useState<ScreenId>('connectors');
  const [open, setOpen] = useState<ConnectorView[]>([]);
  const [selected, setSelected] = useState<string>('');
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [busy, setBusy] = useState<string>('');
  const [version, setVersion] = useState('');
  const [mocks, setMocks] = useState<MockStatus[]>([]);
  const [help, setHelp] = useState(false);
  const nextToast = useRef(1);

  const report = useCallback((e: unknown) => {
    const t = toastFrom(nextToast.current++, toApiError(e));
    // The same failure twice is one toast.
    setToasts((prev) => [...prev.filter((p) => p.message !== t.message), t].slice(-4));
  }, []);
  const notify = useCallback((message: string) => {
    const id = nextToast.current++;
    setToasts((prev) => [...prev, { id, kind: 'info' as const, message }].slice(-4));
  }, []);
  const closeToast = useCallback((id: number) => setToasts((prev) => prev.filter((t) => t.id !== id)), []);

  const openPath = useCallback(
    async (path: string) => {
      setBusy(`Opening ${path}…`);
      try {
        const v = await backend().openConnector(path);
        setOpen((prev) => [v, ...prev.filter((c) => c.path !== v.path)]);
        setSelected(v.path);
        setToasts((prev) => prev.filter((t) => t.kind !== 'error'));
        setScreen('connectors');
        return v;
      } catch (e) {
        report(e);
        return null;
      } finally {
        setBusy('');
      }
    },
    [report],
  );

  useEffect(() => {
    backend()
      .info()
      .then(async (info) => {
        setVersion(info.version);
        // Rendered and answering bindings: interactive (start-up benchmark).
        backend()
          .ready(performance.now())
          .catch(() => undefined);
        if (!info.openPath) return;
        const v = await openPath(info.openPath);
        if (v && info.startMock) {
          await backend().mockStart({ path: v.path, port: info.mockPort ?? 0, seed: 0, validate: true, auth: !info.mockNoAuth, stateful: false, scenario: '', faults: {} });
          setScreen('mock');
        }
      })
      .catch(report);
    return backend().on(Events.OpenPath, (p) => void openPath(p));
  }, [openPath, report]);

  // The running mocks, for the sidebar and the traffic filter.
  useEffect(() => {
    backend()
      .mockListMocks()
      .then((all) => setMocks((prev) => all.reduce(upsertMock, prev)))
      .catch(report);
    return backend().on(Events.MockState, (st) => setMocks((prev) => upsertMock(prev, st)));
  }, [report]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = shortcutFor(e);
      if (!s) return;
      switch (s.kind) {
        case 'screen':
          if (s.index >= screens.length) return;
          setScreen(screens[s.index].id);
          break;
        case 'search': {
          const el = activeScreen()?.querySelector<HTMLInputElement>('[data-search]');
          if (!el) return;
          el.focus();
          el.select();
          break;
        }
        case 'primary': {
          const b = activeScreen()?.querySelector<HTMLButtonElement>('[data-shortcut="primary"]:not(:disabled)');
          if (!b) return;
          b.click();
          break;
        }
        case 'help':
          setHelp((h) => !h);
          break;
        case 'escape':
          if (help) setHelp(false);
          else if (document.activeElement instanceof HTMLElement && document.activeElement.matches('[data-search]')) document.activeElement.blur();
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [help]);

  const current = open.find((c) => c.path === selected) ?? null;
  const showMock = (m: MockStatus) => {
    if (open.some((c) => c.path === m.path)) setSelected(m.path);
    setScreen('mock');
  };
  const host = (id: ScreenId, el: ReactNode) => (
    <div className="screen-host" hidden={screen !== id} data-host={id}>
      <ScreenActive.Provider value={screen === id}>{el}</ScreenActive.Provider>
    </div>
  );

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Screens">
        <div className="brand">
          Connector Lab<span className="version">{version}</span>
        </div>
        {screens.map((s, i) => (
          <button
            key={s.id}
            className={'nav' + (screen === s.id ? ' active' : '')}
            aria-current={screen === s.id ? 'page' : undefined}
            aria-keyshortcuts={`Control+${i + 1}`}
            title={`${s.label} (Ctrl+${i + 1})`}
            data-screen={s.id}
            onClick={() => setScreen(s.id)}
          >
            {s.icon}
            <span className="grow">{s.label}</span>
            <kbd>{i + 1}</kbd>
          </button>
        ))}
        {open.length > 0 && (
          <div className="open-list">
            <div className="side-title">Open connectors</div>
            {open.map((c) => (
              <button key={c.path} className={'nav small' + (c.path === selected ? ' active' : '')} title={c.path} onClick={() => setSelected(c.path)}>
                {c.name}
              </button>
            ))}
          </div>
        )}
        <MocksSidebar mocks={mocks} onShow={showMock} onError={report} onForget={(id) => setMocks((prev) => prev.filter((m) => m.id !== id))} />
        <span className="grow" />
        <button className="nav small" onClick={() => setHelp(true)} aria-keyshortcuts="?">
          <Keyboard size={14} aria-hidden /> <span className="grow">Shortcuts</span> <kbd>?</kbd>
        </button>
      </nav>
      <main className="content">
        <Toasts toasts={toasts} onClose={closeToast} />
        {busy && (
          <div className="busy" role="status">
            {busy}
          </div>
        )}
        {host('connectors', <ConnectorsScreen current={current} onOpen={openPath} onError={report} />)}
        {host('mock', <MockScreen current={current} onError={report} onNotify={notify} />)}
        {host('traffic', <TrafficScreen open={open} mocks={mocks} onError={report} onNotify={notify} />)}
        {host('diff', <DiffScreen open={open} onError={report} />)}
        {host('record', <RecordScreen current={current} onError={report} />)}
        {host('contract', <ContractScreen current={current} onError={report} />)}
      </main>
      {help && (
        <div className="overlay" role="dialog" aria-label="Keyboard shortcuts" onClick={() => setHelp(false)}>
          <div className="card dialog" onClick={(e) => e.stopPropagation()}>
            <div className="row">
              <h2 className="grow">Keyboard shortcuts</h2>
              <button className="ghost icon" aria-label="Close" onClick={() => setHelp(false)}>
                <X size={16} aria-hidden />
              </button>
            </div>
            <table className="shortcuts">
              <tbody>
                {shortcutHelp.map(([k, what]) => (
                  <tr key={k}>
                    <td>
                      <kbd>{k}</kbd>
                    </td>
                    <td>{what}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}
