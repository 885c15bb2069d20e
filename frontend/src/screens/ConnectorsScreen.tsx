import { FolderOpen } from 'lucide-react';
import { EmptyState } from '../components/EmptyState';
import { useEffect, useMemo, useState } from 'react';
import { backend, type ConnectorView, type RecentEntry } from '../api';
import { OperationList } from '../components/OperationList';
import { FindingsList } from '../components/FindingsList';
import { AuthPanel } from '../components/AuthPanel';

interface Props {
  current: ConnectorView | null;
  onOpen: (path: string) => Promise<ConnectorView | null>;
  onError: (e: unknown) => void;
}

export function ConnectorsScreen({ current, onOpen, onError }: Props) {
  const [path, setPath] = useState('');
  const [recent, setRecent] = useState<RecentEntry[]>([]);

  const loadRecent = () => backend().recent().then(setRecent).catch(onError);
  useEffect(() => {
    void loadRecent();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current?.path]);

  const open = async (p: string) => {
    const v = await onOpen(p);
    if (v) setPath('');
    void loadRecent();
  };
  const browse = async (kind: 'folder' | 'file') => {
    try {
      const p = kind === 'folder' ? await backend().chooseFolder() : await backend().chooseFile();
      if (p) await open(p);
    } catch (e) {
      onError(e);
    }
  };

  return (
    <section className="screen" data-testid="screen-connectors">
      <h1>Connectors</h1>
      <div className="card open-card drop-target">
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void open(path);
          }}
        >
          <input
            aria-label="Connector path"
            name="path"
            className="grow"
            placeholder="Path to a connector folder, apiDefinition.swagger.json, an OpenAPI file or a Postman collection"
            value={path}
            onChange={(e) => setPath(e.target.value)}
          />
          <button type="submit" className="primary" disabled={!path.trim()}>
            Open
          </button>
          <button type="button" onClick={() => void browse('folder')}>
            Folder…
          </button>
          <button type="button" onClick={() => void browse('file')}>
            File…
          </button>
        </form>
        <div className="muted small">Or drop a connector folder or file anywhere on the window.</div>
        {recent.length > 0 && (
          <div className="recent" aria-label="Recent connectors">
            <div className="muted small">Recent</div>
            <ul>
              {recent.map((r) => (
                <li key={r.path} className={r.missing ? 'missing' : ''}>
                  <button className="link" disabled={r.missing} onClick={() => void open(r.path)} title={r.path}>
                    {r.name || r.path}
                  </button>
                  <span className="muted small path" data-volatile title={r.path}>
                    {r.path}
                  </span>
                  {r.missing && <span className="badge warning">missing</span>}
                  <button
                    className="ghost small"
                    aria-label={`Forget ${r.name}`}
                    onClick={() => backend().forgetRecent(r.path).then(loadRecent).catch(onError)}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      {current ? <ConnectorDetail c={current} /> : <EmptyState icon={<FolderOpen size={28} aria-hidden />} title="No connector open yet">
          Type the path of a connector folder (apiDefinition.swagger.json and apiProperties.json), a Swagger or OpenAPI file or a Postman collection above, pick one, or drop it on the window. Try examples/contoso-orders.
        </EmptyState>}
    </section>
  );
}

type Tab = 'operations' | 'auth' | 'findings';

export function ConnectorDetail({ c }: { c: ConnectorView }) {
  const [tab, setTab] = useState<Tab>('operations');
  const counts = c.counts ?? {};
  const upstream = useMemo(() => {
    if (!c.host && !c.basePath) return '';
    return `${c.schemes?.[0] ?? 'https'}://${c.host ?? ''}${c.basePath ?? ''}`;
  }, [c]);
  return (
    <div className="card" data-testid="connector-detail">
      <div className="detail-head">
        <div>
          <h2>{c.name}</h2>
          <div className="muted small">
            {c.format} · {c.operations} operations · loaded in <span data-volatile>{c.loadMillis} ms</span>
            {c.publisher && <> · {c.publisher}</>}
          </div>
          {upstream && <div className="mono small">{upstream}</div>}
          <div className="mono small muted" data-volatile>
            {c.files.definition}
          </div>
        </div>
        <div className="counts">
          {c.customCode && (
            <span className="badge custom" title={`${c.customCode.file} (${c.customCode.size} bytes)`}>
              custom code
            </span>
          )}
          <span className={'badge ' + (counts.error ? 'error' : 'ok')}>{counts.error ?? 0} errors</span>
          <span className={'badge ' + (counts.warning ? 'warning' : 'ok')}>{counts.warning ?? 0} warnings</span>
          <span className="badge info">{counts.info ?? 0} info</span>
        </div>
      </div>
      <div className="tabs" role="tablist">
        {(
          [
            ['operations', `Operations (${c.operations})`],
            ['auth', `Auth & policies (${c.policies.length})`],
            ['findings', `Validation (${c.findings.length})`],
          ] as [Tab, string][]
        ).map(([id, label]) => (
          <button key={id} role="tab" aria-selected={tab === id} className={'tab' + (tab === id ? ' active' : '')} onClick={() => setTab(id)}>
            {label}
          </button>
        ))}
      </div>
      {tab === 'operations' && <OperationList groups={c.groups} />}
      {tab === 'auth' && <AuthPanel c={c} />}
      {tab === 'findings' && <FindingsList findings={c.findings} />}
    </div>
  );
}
