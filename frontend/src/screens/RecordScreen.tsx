import { useCallback, useEffect, useState } from 'react';
import { backend, Events, type ConnectorView, type ExchangeView, type RecordStatus, type SessionView } from '../api';
import { ConnectionParams } from '../components/ConnectionParams';
import { TrafficList } from '../components/TrafficList';
import { ExchangeDetail } from '../components/ExchangeDetail';
import { useTrafficWindow } from '../lib/useTrafficWindow';

interface Props {
  current: ConnectorView | null;
  onError: (e: unknown) => void;
}

export function RecordScreen({ current, onError }: Props) {
  if (!current) {
    return (
      <section className="screen" data-testid="screen-record">
        <h1>Record</h1>
        <div className="card empty">Open a connector on the Connectors screen first; its recording proxy starts here.</div>
      </section>
    );
  }
  return <RecordFor key={current.path} c={current} onError={onError} />;
}

function defaultUpstream(c: ConnectorView) {
  return c.host ? `${c.schemes?.[0] ?? 'https'}://${c.host}${c.basePath ?? ''}` : '';
}

function RecordFor({ c, onError }: { c: ConnectorView; onError: (e: unknown) => void }) {
  const [upstream, setUpstream] = useState(defaultUpstream(c));
  const [port, setPort] = useState(0);
  const [name, setName] = useState('');
  const [authSet, setAuthSet] = useState(c.auth.sets[0]?.name ?? '');
  const [params, setParams] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<RecordStatus | null>(null);
  const [db, setDb] = useState('');
  const [sessions, setSessions] = useState<SessionView[]>([]);
  const [stream, setStream] = useState('');
  const [selected, setSelected] = useState<number | null>(null);
  const [detail, setDetail] = useState<ExchangeView | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const traffic = useTrafficWindow(stream, onError);

  const refresh = useCallback(() => backend().sessions(c.name).then(setSessions).catch(onError), [c.name, onError]);
  useEffect(() => {
    backend().recordDatabase().then(setDb).catch(onError);
    backend()
      .recordStatus()
      .then((all) => {
        const mine = all.find((s) => s.path === c.path);
        if (mine) {
          setStatus(mine);
          setStream(mine.stream);
        }
      })
      .catch(onError);
    void refresh();
    return backend().on(Events.RecordState, (st: RecordStatus) => {
      if (st.path === c.path) setStatus(st);
    });
  }, [c.path, onError, refresh]);

  const running = !!status?.running;
  const start = async () => {
    setBusy(true);
    try {
      const st = await backend().recordStart({ path: c.path, upstream, port, session: name, authSet, params });
      setStatus(st);
      setStream(st.stream);
      setDetail(null);
      void refresh();
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  const stop = async () => {
    setBusy(true);
    try {
      setStatus(await backend().recordStop(c.path));
      setParams({}); // forget the values once the proxy is gone
      void refresh();
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  const view = async (s: SessionView) => {
    try {
      setStream(await backend().openSession(s.id));
      setDetail(null);
    } catch (e) {
      onError(e);
    }
  };
  const select = (seq: number) => {
    setSelected(seq);
    backend().trafficDetail(seq).then(setDetail).catch(onError);
  };
  const exportAs = async (s: SessionView, format: 'har' | 'json') => {
    try {
      const p = await backend().exportSession(s.id, format, '');
      if (p) setNote(`${format.toUpperCase()} written to ${p}`);
    } catch (e) {
      onError(e);
    }
  };
  const [renaming, setRenaming] = useState<{ id: number; name: string } | null>(null);
  const rename = async () => {
    if (!renaming) return;
    try {
      const v = await backend().renameSession(renaming.id, renaming.name);
      setRenaming(null);
      setNote(`Renamed to ${v.name}`);
      void refresh();
    } catch (e) {
      onError(e);
    }
  };
  const [importPath, setImportPath] = useState('');
  const [importName, setImportName] = useState('');
  const importFile = async () => {
    try {
      const res = await backend().importSession(importPath.trim(), importName.trim(), c.name);
      if (!res.session?.id) return; // the dialog was cancelled
      setNote(`Imported ${res.exchanges} exchanges into ${res.session.name}` + (res.skipped?.length ? ` (${res.skipped.length} entries skipped)` : ''));
      setImportPath('');
      setImportName('');
      void refresh();
    } catch (e) {
      onError(e);
    }
  };
  const remove = async (s: SessionView) => {
    try {
      await backend().deleteSession(s.id);
      if (stream === `session:${s.id}`) setStream('');
      void refresh();
    } catch (e) {
      onError(e);
    }
  };

  return (
    <section className="screen" data-testid="screen-record">
      <h1>
        Record <span className="muted">· {c.name}</span>
      </h1>
      <div className="card record-form">
        <div className="row wrap">
          <label className="grow">
            Upstream (the live API)
            <input aria-label="Upstream URL" value={upstream} disabled={running} placeholder="https://api.example.com/v1" onChange={(e) => setUpstream(e.target.value)} />
          </label>
          <label>
            Port
            <input aria-label="Proxy port" type="number" min={0} value={port || ''} placeholder="any" disabled={running} onChange={(e) => setPort(Number(e.target.value || 0))} />
          </label>
          <label>
            Session name
            <input aria-label="Session name" value={name} disabled={running} placeholder="dated when empty" onChange={(e) => setName(e.target.value)} />
          </label>
        </div>
        <ConnectionParams c={c} authSet={authSet} setAuthSet={setAuthSet} values={params} onChange={setParams} />
        <div className="row">
          <span className="muted small mono ellipsis">database: {db}</span>
          <span className="grow" />
          {running ? (
            <>
              <span className="mono small url" data-testid="proxy-url">
                {status?.url}
              </span>
              <span className="muted small">→ {status?.upstream}</span>
              <button className="danger" onClick={() => void stop()} disabled={busy}>
                Stop recording
              </button>
            </>
          ) : (
            <button className="primary" onClick={() => void start()} disabled={busy || !upstream.trim()}>
              Start recording
            </button>
          )}
        </div>
        {status?.error && <div className="error-text small">{status.error}</div>}
        {!running && status?.stats && status.sessionName && (
          <div className="small muted" data-testid="record-summary">
            Session {status.sessionName}: {status.stats.requests} requests, {status.stats.stored} stored, {status.stats.failed} upstream failures, {status.stats.storeErrors} not stored.
          </div>
        )}
      </div>
      <div className="card">
        <TrafficList traffic={traffic} selected={selected} onSelect={select} onClear={stream.startsWith('session:') ? undefined : () => void traffic.clear()} height={220} />
      </div>
      {detail && <div className="card">{<ExchangeDetail x={detail} />}</div>}
      <div className="card">
        <div className="row">
          <h3>Sessions</h3>
          <span className="grow" />
          {note && <span className="small ok-text">{note}</span>}
          <button className="small" onClick={() => void refresh()}>
            Refresh
          </button>
        </div>
        {sessions.length === 0 ? (
          <div className="muted small">No recorded session of this connector yet.</div>
        ) : (
          <table className="sessions small" data-testid="sessions">
            <thead>
              <tr>
                <th>Name</th>
                <th>Status</th>
                <th>Exchanges</th>
                <th>Started</th>
                <th>Upstream</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id} className={stream === `session:${s.id}` ? 'selected' : ''} data-session={s.name}>
                  <td className="mono">
                    {renaming?.id === s.id ? (
                      <form
                        className="row"
                        onSubmit={(e) => {
                          e.preventDefault();
                          void rename();
                        }}
                      >
                        <input aria-label={`New name for ${s.name}`} value={renaming.name} autoFocus onChange={(e) => setRenaming({ id: s.id, name: e.target.value })} />
                        <button className="small" type="submit" disabled={!renaming.name.trim()}>
                          Save
                        </button>
                        <button className="small ghost" type="button" onClick={() => setRenaming(null)}>
                          Cancel
                        </button>
                      </form>
                    ) : (
                      s.name
                    )}
                  </td>
                  <td>
                    <span className={'badge ' + (s.status === 'complete' ? 'ok' : s.status === 'open' ? 'info' : 'warning')} title={s.problem}>
                      {s.status}
                    </span>
                  </td>
                  <td>{s.exchanges}</td>
                  <td>{new Date(s.started).toLocaleString()}</td>
                  <td className="mono ellipsis">{s.upstream}</td>
                  <td className="actions">
                    <button className="small" onClick={() => void view(s)}>
                      View
                    </button>
                    <button className="small" aria-label={`Rename session ${s.name}`} disabled={running && status?.sessionId === s.id} onClick={() => setRenaming({ id: s.id, name: s.name })}>
                      Rename
                    </button>
                    <button className="small" onClick={() => void exportAs(s, 'har')}>
                      Export HAR
                    </button>
                    <button className="small" onClick={() => void exportAs(s, 'json')}>
                      Export JSON
                    </button>
                    <button className="small ghost" aria-label={`Delete session ${s.name}`} disabled={running && status?.sessionId === s.id} onClick={() => void remove(s)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form
          className="row wrap small"
          data-testid="import-session"
          onSubmit={(e) => {
            e.preventDefault();
            void importFile();
          }}
        >
          <label className="grow">
            Import a HAR 1.2 file or a JSON export
            <input aria-label="Import file" value={importPath} placeholder="path (empty: choose a file)" onChange={(e) => setImportPath(e.target.value)} />
          </label>
          <label>
            as session
            <input aria-label="Imported session name" value={importName} placeholder="the file's name" onChange={(e) => setImportName(e.target.value)} />
          </label>
          <button type="submit" className="small">
            Import
          </button>
        </form>
      </div>
    </section>
  );
}
