import { useEffect, useState } from 'react';
import { backend, type ConnectorView, type MockConfig, type MockStatus, type SessionView } from '../api';
import { ConnectionParams } from '../components/ConnectionParams';

// MockModes are the Mock screen's watch, replay, spy and record settings:
// the same workflow as `connectorlab mock --watch --replay --spy --record`.
// They are chosen when the mock starts; the status line says what runs.
export function MockModes({
  c,
  cfg,
  setCfg,
  status,
  onError,
}: {
  c: ConnectorView;
  cfg: MockConfig;
  setCfg: (cfg: MockConfig) => void;
  status: MockStatus | null;
  onError: (e: unknown) => void;
}) {
  const running = !!status?.running;
  const [sessions, setSessions] = useState<SessionView[]>([]);
  useEffect(() => {
    if (!running) backend().sessions(c.name).then(setSessions).catch(onError);
  }, [c.name, running, onError]);
  const replay = !!cfg.replaySession;
  return (
    <div className="mock-modes" data-testid="mock-modes">
      <div className="row wrap small">
        <label className="inline check">
          <input type="checkbox" aria-label="Watch definition files" checked={!!cfg.watch} disabled={running} onChange={(e) => setCfg({ ...cfg, watch: e.target.checked })} /> reload on file change
        </label>
        <label className="inline">
          Answer from
          <select
            aria-label="Replay session"
            value={cfg.replaySession ? String(cfg.replaySession) : ''}
            disabled={running}
            onFocus={() => backend().sessions(c.name).then(setSessions).catch(onError)}
            onChange={(e) => setCfg({ ...cfg, replaySession: Number(e.target.value || 0), fallback: e.target.value ? cfg.fallback : false, spy: e.target.value ? cfg.spy : '' })}
          >
            <option value="">the definition (simulate)</option>
            {sessions.map((s) => (
              <option key={s.id} value={String(s.id)}>
                session {s.name} ({s.exchanges} exchanges)
              </option>
            ))}
          </select>
        </label>
        {replay && (
          <>
            <label className="inline check">
              <input type="checkbox" aria-label="Simulate on a miss" checked={!!cfg.fallback} disabled={running || !!cfg.spy} onChange={(e) => setCfg({ ...cfg, fallback: e.target.checked })} /> simulate on a miss
            </label>
            <label className="inline">
              or spy: send misses to
              <input aria-label="Spy URL" value={cfg.spy ?? ''} placeholder="https://api.example.com/v1" disabled={running || !!cfg.fallback} onChange={(e) => setCfg({ ...cfg, spy: e.target.value })} />
            </label>
          </>
        )}
        <label className="inline check">
          <input type="checkbox" aria-label="Record traffic" checked={!!cfg.record} disabled={running} onChange={(e) => setCfg({ ...cfg, record: e.target.checked })} /> record the mock's traffic
        </label>
      </div>
      {replay && !!cfg.spy && !running && (
        <ConnectionParams c={c} authSet={c.auth.sets[0]?.name ?? ''} setAuthSet={() => undefined} values={cfg.spyParams ?? {}} onChange={(v) => setCfg({ ...cfg, spyParams: v })} />
      )}
      {running && (status?.replaying || status?.recordingSessionName || status?.config?.watch) && (
        <div className="small muted" data-testid="mock-modes-status">
          {status?.replaying && <span>Replaying session {status.replaying} ({status.replayExchanges} exchanges). </span>}
          {status?.recordingSessionName && <span>Recording into session {status.recordingSessionName}. </span>}
          {status?.config?.watch && (
            <span data-testid="mock-reloads">
              Watching the definition: {status.reloads ? `reloaded ${status.reloads}×, ${status.operations} operations` : 'no change yet'}.
            </span>
          )}
        </div>
      )}
      {running && status?.reloadError && <div className="error-text small">{status.reloadError}</div>}
    </div>
  );
}
