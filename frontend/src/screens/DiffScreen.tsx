import { useState } from 'react';
import { backend, type ConnectorView, type DiffView } from '../api';
import { groupByLevel } from '../lib/findings';

interface Props {
  open: ConnectorView[];
  onError: (e: unknown) => void;
}

// DiffScreen compares two definitions side by side, breaking changes first.
export function DiffScreen({ open, onError }: Props) {
  const [oldPath, setOld] = useState('');
  const [newPath, setNew] = useState('');
  const [view, setView] = useState<DiffView | null>(null);
  const [busy, setBusy] = useState(false);
  const [exported, setExported] = useState('');

  const compare = async () => {
    setBusy(true);
    setExported('');
    try {
      setView(await backend().diffCompare(oldPath, newPath));
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  const pick = async (set: (p: string) => void) => {
    try {
      const p = await backend().chooseFile();
      if (p) set(p);
    } catch (e) {
      onError(e);
    }
  };
  const exportAs = async (format: string) => {
    try {
      const p = await backend().diffExport(format, '');
      if (p) setExported(p);
    } catch (e) {
      onError(e);
    }
  };

  const side = (label: string, value: string, set: (p: string) => void) => (
    <div className="diff-side">
      <label>
        {label}
        <div className="row">
          <input aria-label={`${label} definition`} data-volatile className="grow" value={value} onChange={(e) => set(e.target.value)} placeholder="folder or definition file" list="open-connectors" />
          <button onClick={() => void pick(set)}>File…</button>
        </div>
      </label>
    </div>
  );

  return (
    <section className="screen" data-testid="screen-diff">
      <h1>Diff</h1>
      <div className="card">
        <datalist id="open-connectors">
          {open.map((c) => (
            <option key={c.path} value={c.path}>
              {c.name}
            </option>
          ))}
        </datalist>
        <div className="two-col">
          {side('Old', oldPath, setOld)}
          {side('New', newPath, setNew)}
        </div>
        <div className="row" style={{ marginTop: 8 }}>
          <button className="primary" onClick={() => void compare()} disabled={busy || !oldPath.trim() || !newPath.trim()}>
            {busy ? 'Comparing…' : 'Compare'}
          </button>
          <button onClick={() => { setOld(newPath); setNew(oldPath); }} disabled={busy}>
            Swap
          </button>
        </div>
      </div>
      {view && <DiffResult view={view} onExport={exportAs} exported={exported} />}
    </section>
  );
}

export function DiffResult({ view, onExport, exported }: { view: DiffView; onExport: (f: string) => void; exported: string }) {
  const groups = groupByLevel(view.findings);
  return (
    <div className="card" data-testid="diff-result">
      <div className="two-col diff-head">
        <div>
          <div className="muted small">Old</div>
          <strong>{view.old.name}</strong> <span className="muted small">{view.old.operations} operations</span>
          <div className="mono small muted ellipsis" data-volatile>
            {view.old.path}
          </div>
        </div>
        <div>
          <div className="muted small">New</div>
          <strong>{view.new.name}</strong> <span className="muted small">{view.new.operations} operations</span>
          <div className="mono small muted ellipsis" data-volatile>
            {view.new.path}
          </div>
        </div>
      </div>
      <div className="row" style={{ margin: '8px 0' }}>
        <span className={'badge ' + (view.passed ? 'ok' : 'error')} data-testid="diff-verdict">
          {view.passed ? 'no breaking change' : `${view.counts.error} breaking`}
        </span>
        <span className="badge warning">{view.counts.warning ?? 0} may break</span>
        <span className="badge info">{view.counts.info ?? 0} compatible</span>
        <span className="muted small" data-volatile>in {view.millis} ms</span>
        <span className="grow" />
        <span className="muted small">Export</span>
        <button className="small" onClick={() => onExport('html')}>HTML</button>
        <button className="small" onClick={() => onExport('junit')}>JUnit</button>
        <button className="small" onClick={() => onExport('json')}>JSON</button>
      </div>
      {exported && <div className="small ok-text">Report written to {exported}</div>}
      {groups.length === 0 && <div className="ok-text">The definitions are equivalent.</div>}
      {groups.map((g) => (
        <div key={g.level} className={`diff-group lvl-${g.level}`}>
          <h3>
            {g.title} <span className="muted">({g.findings.length})</span>
          </h3>
          <table className="diff-table">
            <thead>
              <tr>
                <th>Operation</th>
                <th>Change</th>
                <th>Old</th>
                <th>New</th>
              </tr>
            </thead>
            <tbody>
              {g.findings.map((f, i) => (
                <tr key={i}>
                  <td className="mono small">
                    {f.operation || '—'}
                    {f.customCode && <span className="badge custom">custom code</span>}
                  </td>
                  <td>
                    <span className={`badge ${f.level}`}>{f.id}</span> {f.message}
                    {f.field && <div className="mono small muted">{[f.where, f.field].filter(Boolean).join(' · ')}</div>}
                    {f.location && <div className="mono small muted">{f.location}</div>}
                    {f.fix && <div className="fix small">Fix: {f.fix}</div>}
                  </td>
                  <td className="mono small side-old">{f.old}</td>
                  <td className="mono small side-new">{f.new}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
