import { Download, FilePlus2, FolderOpen } from 'lucide-react';
import { EmptyState } from '../components/EmptyState';
import { useEffect, useMemo, useState } from 'react';
import { backend, type ConnectorView, type MockoonExportView, type OperationView, type RecentEntry } from '../api';
import { OperationList } from '../components/OperationList';
import { FindingsList } from '../components/FindingsList';
import { AuthPanel } from '../components/AuthPanel';
import { LossList, NewConnector } from './NewConnector';
import { OperationEditor } from './ConnectorsScreenEditor';

interface Props {
  current: ConnectorView | null;
  onOpen: (path: string) => Promise<ConnectorView | null>;
  onError: (e: unknown) => void;
}

export function ConnectorsScreen({ current, onOpen, onError }: Props) {
  const [path, setPath] = useState('');
  const [recent, setRecent] = useState<RecentEntry[]>([]);
  const [creating, setCreating] = useState(false);

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
          <button type="button" className={creating ? 'active' : ''} aria-expanded={creating} onClick={() => setCreating((c) => !c)}>
            <FilePlus2 size={14} aria-hidden /> New connector…
          </button>
        </form>
        <div className="muted small">Or drop a connector folder or file anywhere on the window.</div>
        {recent.length > 0 && !creating && (
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
      {creating && (
        <NewConnector
          onClose={() => setCreating(false)}
          onError={onError}
          onSaved={async (dir) => {
            const v = await onOpen(dir);
            if (v) setCreating(false);
            void loadRecent();
          }}
        />
      )}
      {current ? <ConnectorDetail c={current} onOpen={onOpen} onError={onError} /> : <EmptyState icon={<FolderOpen size={28} aria-hidden />} title="No connector open yet">
          Type the path of a connector folder (apiDefinition.swagger.json and apiProperties.json), a Swagger or OpenAPI file or a Postman collection above, pick one, or drop it on the window. Try examples/contoso-orders. To make one from an OpenAPI, Postman, HAR or Mockoon file or a recording, choose New connector.
        </EmptyState>}
    </section>
  );
}

type Tab = 'operations' | 'auth' | 'findings';

export function ConnectorDetail({ c, onOpen, onError }: { c: ConnectorView; onOpen?: (path: string) => Promise<unknown>; onError?: (e: unknown) => void }) {
  const [tab, setTab] = useState<Tab>('operations');
  const [editing, setEditing] = useState<string>('');
  const [exportOpen, setExportOpen] = useState(false);
  const [exported, setExported] = useState<MockoonExportView | null>(null);
  const [exportPath, setExportPath] = useState('');
  const editOp = useMemo<OperationView | null>(() => {
    for (const g of c.groups) for (const o of g.operations) if (o.id === editing) return o;
    return null;
  }, [c, editing]);
  useEffect(() => {
    setExported(null);
    setExportOpen(false);
  }, [c.path]);
  const report = onError ?? (() => undefined);
  const exportMockoon = async (out: string) => {
    try {
      const v = await backend().exportMockoon(c.path, out);
      if (v.file) setExported(v);
    } catch (e) {
      report(e);
    }
  };
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
          {onOpen && (
            <button className="small" title="Write the connector (and its overrides) as a Mockoon environment" aria-expanded={exportOpen} onClick={() => setExportOpen((x) => !x)}>
              <Download size={14} aria-hidden /> Export as Mockoon…
            </button>
          )}
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
      {exportOpen && (
        <div className="mockoon-export" data-testid="mockoon-export">
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              void exportMockoon(exportPath);
            }}
          >
            <input aria-label="Mockoon file" data-volatile className="grow" placeholder="File to write, e.g. contoso.mockoon.json (empty: choose in a dialog)" value={exportPath} onChange={(e) => setExportPath(e.target.value)} />
            <button type="submit" className="primary">
              Export
            </button>
          </form>
          {exported && (
            <div data-testid="mockoon-export-result">
              <div className="ok-text small">
                Wrote {exported.routes} routes to <span className="mono" data-volatile>{exported.file}</span>; what Mockoon cannot hold:
              </div>
              <LossList findings={exported.findings} testid="mockoon-export-findings" />
            </div>
          )}
        </div>
      )}
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
      {tab === 'operations' &&
        (onOpen ? (
          <div className={editOp ? 'ops-edit' : ''}>
            <OperationList groups={c.groups} selected={editing} onSelect={(o) => setEditing((cur) => (cur === o.id ? '' : o.id))} />
            {editOp && <OperationEditor c={c} op={editOp} onSaved={onOpen} onError={report} />}
          </div>
        ) : (
          <OperationList groups={c.groups} />
        ))}
      {tab === 'auth' && <AuthPanel c={c} />}
      {tab === 'findings' && <FindingsList findings={c.findings} />}
    </div>
  );
}
