import { useCallback, useEffect, useState } from 'react';
import { backend, Events, toApiError, type ApiError, type ConnectorView } from './api';
import { ErrorBanner } from './components/ErrorBanner';
import { ConnectorsScreen } from './screens/ConnectorsScreen';
import { MockScreen } from './screens/MockScreen';
import { DiffScreen } from './screens/DiffScreen';
import { RecordScreen } from './screens/RecordScreen';
import { ContractScreen } from './screens/ContractScreen';

export type ScreenId = 'connectors' | 'mock' | 'diff' | 'record' | 'contract';

const screens: { id: ScreenId; label: string }[] = [
  { id: 'connectors', label: 'Connectors' },
  { id: 'mock', label: 'Mock' },
  { id: 'diff', label: 'Diff' },
  { id: 'record', label: 'Record' },
  { id: 'contract', label: 'Contract tests' },
];

export default function App() {
  const [screen, setScreen] = useState<ScreenId>('connectors');
  const [open, setOpen] = useState<ConnectorView[]>([]);
  const [selected, setSelected] = useState<string>('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string>('');
  const [version, setVersion] = useState('');

  const report = useCallback((e: unknown) => setError(toApiError(e)), []);

  const openPath = useCallback(
    async (path: string) => {
      setBusy(`Opening ${path}…`);
      try {
        const v = await backend().openConnector(path);
        setOpen((prev) => [v, ...prev.filter((c) => c.path !== v.path)]);
        setSelected(v.path);
        setError(null);
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
    return backend().on(Events.OpenPath, (p: string) => void openPath(p));
  }, [openPath, report]);

  const current = open.find((c) => c.path === selected) ?? null;

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Screens">
        <div className="brand">
          Connector Lab<span className="version">{version}</span>
        </div>
        {screens.map((s) => (
          <button
            key={s.id}
            className={'nav' + (screen === s.id ? ' active' : '')}
            aria-current={screen === s.id ? 'page' : undefined}
            data-screen={s.id}
            onClick={() => setScreen(s.id)}
          >
            {s.label}
          </button>
        ))}
        {open.length > 0 && (
          <div className="open-list">
            <div className="muted small">Open connectors</div>
            {open.map((c) => (
              <button
                key={c.path}
                className={'nav small' + (c.path === selected ? ' active' : '')}
                title={c.path}
                onClick={() => setSelected(c.path)}
              >
                {c.name}
              </button>
            ))}
          </div>
        )}
      </nav>
      <main className="content">
        <ErrorBanner error={error} onClose={() => setError(null)} />
        {busy && (
          <div className="busy" role="status">
            {busy}
          </div>
        )}
        {screen === 'connectors' && <ConnectorsScreen current={current} onOpen={openPath} onError={report} />}
        {screen === 'mock' && <MockScreen current={current} onError={report} />}
        {screen === 'diff' && <DiffScreen open={open} onError={report} />}
        {screen === 'record' && <RecordScreen current={current} onError={report} />}
        {screen === 'contract' && <ContractScreen current={current} onError={report} />}
      </main>
    </div>
  );
}
