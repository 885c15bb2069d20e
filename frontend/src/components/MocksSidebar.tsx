import { useState } from 'react';
import { Play, Square, X } from 'lucide-react';
import { backend, type MockConfig, type MockStatus } from '../api';

// MocksSidebar lists every mock (connector, port, state) with start/stop
// for each; several run at once, also of one connector.
export function MocksSidebar({
  mocks,
  onShow,
  onError,
  onForget,
}: {
  mocks: MockStatus[];
  onShow: (m: MockStatus) => void;
  onError: (e: unknown) => void;
  onForget: (id: string) => void;
}) {
  const [busy, setBusy] = useState('');
  const act = async (id: string, fn: () => Promise<MockStatus>) => {
    setBusy(id);
    try {
      await fn();
    } catch (e) {
      onError(e);
    } finally {
      setBusy('');
    }
  };
  return (
    <div className="mocks-side" data-testid="mocks-sidebar">
      <div className="side-title">Mocks</div>
      {mocks.length === 0 && <div className="side-empty">None running. Start one on the Mock screen (Ctrl+2, then Ctrl+Enter).</div>}
      {mocks.map((m) => {
        const state = m.running ? 'running' : m.error ? 'failed' : 'stopped';
        return (
          <div key={m.id} className={`mock-item ${state}`} data-mock={m.id} data-state={state} title={m.error || m.url || m.path}>
            <span className={`dot ${state}`} aria-label={state} />
            <button className="link side-link grow ellipsis" onClick={() => onShow(m)}>
              {m.name || m.path}
            </button>
            <span className="mono port" data-volatile>
              :{m.port}
            </span>
            {m.running ? (
              <button className="ghost icon" aria-label={`Stop ${m.name} on port ${m.port}`} disabled={busy === m.id} onClick={() => void act(m.id!, () => backend().mockStopMock(m.id!))}>
                <Square size={12} aria-hidden />
              </button>
            ) : (
              <>
                <button
                  className="ghost icon"
                  aria-label={`Start ${m.name} on port ${m.port}`}
                  disabled={busy === m.id}
                  onClick={() =>
                    void act(m.id!, async () => {
                      const st = await backend().mockStartMock(m.config as MockConfig);
                      onForget(m.id!);
                      return st;
                    })
                  }
                >
                  <Play size={12} aria-hidden />
                </button>
                <button className="ghost icon" aria-label={`Forget ${m.name}`} onClick={() => onForget(m.id!)}>
                  <X size={12} aria-hidden />
                </button>
              </>
            )}
          </div>
        );
      })}
    </div>
  );
}
