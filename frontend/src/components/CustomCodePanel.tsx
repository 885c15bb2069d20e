import { useCallback, useEffect, useMemo, useState } from 'react';
import { AlertTriangle, CheckCircle2, Play, RotateCcw, Save } from 'lucide-react';
import { backend, type ConnectorView, type Diagnostic, type ScriptMessage, type ScriptRunView, type ScriptView } from '../api';
import { CodeEditor } from './LazyCodeEditor';
import { lineColToPos, type EditorMarker } from '../lib/editor';

function where(d: Diagnostic): string {
  const base = d.file.split(/[\\/]/).pop() || d.file;
  return d.line ? `${base}:${d.line}:${d.col}` : base;
}

export function diagnosticText(d: Diagnostic): string {
  return `${where(d)}: ${d.severity}${d.code ? ' ' + d.code : ''}: ${d.message}`;
}

function Message({ title, m }: { title: string; m: ScriptMessage }) {
  return (
    <div className="msg" data-msg={title}>
      <h4>{title}</h4>
      <div className="mono small ellipsis" title={m.url}>
        {m.method ? `${m.method} ${m.url}` : `HTTP ${m.status}`}
      </div>
      {(m.headers ?? []).length > 0 && (
        <pre className="muted">{(m.headers ?? []).map((h) => `${h.name}: ${h.value}`).join('\n')}</pre>
      )}
      {m.body && <pre>{m.body}</pre>}
    </div>
  );
}

// CustomCodePanel is the authoring loop of the connector's script.csx on
// the Mock screen: edit (C# highlighting), save (Ctrl+S) → the script is
// written, compiled and put in front of every running mock of the
// connector, compile errors listed and marked at script.csx:line:col;
// "Run once" runs one operation through the code exactly as
// `connectorlab script test` does (workflow/customcode) and shows the
// request before and after the code, the answers, the log and timing.
export function CustomCodePanel({ c, onError, onNotify }: { c: ConnectorView; onError: (e: unknown) => void; onNotify: (m: string) => void }) {
  const [view, setView] = useState<ScriptView | null>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [op, setOp] = useState('');
  const [request, setRequest] = useState('');
  const [run, setRun] = useState<ScriptRunView | null>(null);
  const [running, setRunning] = useState(false);
  useEffect(() => {
    backend()
      .script(c.path)
      .then((v) => {
        setView(v);
        setText(v.source);
        setOp((cur) => cur || v.operations?.[0] || c.groups[0]?.operations[0]?.id || '');
      })
      .catch(onError);
  }, [c.path, c.groups, onError]);
  const dirty = !!view && text !== view.source;
  const save = useCallback(async () => {
    setBusy(true);
    try {
      const v = await backend().saveScript(c.path, text);
      setView(v);
      const errs = (v.compile.diagnostics ?? []).filter((d) => d.severity === 'error').length;
      if (!v.compile.available) onNotify('Saved script.csx; not compiled: the custom-code host is not installed');
      else if (errs) onNotify(`Saved script.csx; it does not compile (${errs} error${errs === 1 ? '' : 's'}): the running mocks keep the last good version`);
      else onNotify(`Saved and compiled script.csx${v.reloaded ? `; ${v.reloaded} running mock${v.reloaded === 1 ? ' runs' : 's run'} it now` : ''}`);
      if (v.reloadError) onError({ message: v.reloadError, fix: 'fix the script and save again' });
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  }, [c.path, text, onError, onNotify]);
  const runOnce = async () => {
    setRunning(true);
    try {
      setRun(await backend().runScript({ path: c.path, operationId: op, request: request.trim() }));
    } catch (e) {
      onError(e);
    } finally {
      setRunning(false);
    }
  };
  const diags = view?.compile.diagnostics ?? [];
  const markers = useMemo<EditorMarker[]>(() => {
    if (!view || dirty) return [];
    return diags
      .filter((d) => d.line > 0)
      .map((d) => {
        const from = lineColToPos(view.source, d.line, d.col || 1);
        return { from, to: from + 1, severity: d.severity === 'error' ? 'error' : 'warning', message: diagnosticText(d) };
      });
  }, [view, diags, dirty]);
  const allOps = useMemo(() => c.groups.flatMap((g) => g.operations.map((o) => o.id)), [c.groups]);
  if (!view) return <div className="muted small">Loading script.csx…</div>;
  const errors = diags.filter((d) => d.severity === 'error');
  const scriptOps = new Set(view.operations ?? []);
  return (
    <div className="code-panel" data-testid="code-panel">
      <div className="row">
        <span className="muted small grow ellipsis mono" title={view.file} data-volatile>
          {view.file}
        </span>
        {!view.compile.available ? (
          <span className="badge warning">not compiled</span>
        ) : errors.length ? (
          <span className="badge error" data-testid="compile-state">
            <AlertTriangle size={12} aria-hidden /> {errors.length} compile error{errors.length === 1 ? '' : 's'}
          </span>
        ) : (
          <span className="badge ok" data-testid="compile-state">
            <CheckCircle2 size={12} aria-hidden /> compiles{view.compile.cached ? ' (cached)' : ''}
          </span>
        )}
        <button className="small icon-text" onClick={() => setText(view.source)} disabled={!dirty || busy} title="Back to the saved script">
          <RotateCcw size={13} aria-hidden /> Revert
        </button>
        <button className="primary small icon-text" onClick={() => void save()} disabled={!dirty || busy} title="Save, compile and run in the mock (Ctrl+S)" aria-keyshortcuts="Control+S">
          <Save size={13} aria-hidden /> {busy ? 'Compiling…' : 'Save & compile'}
        </button>
      </div>
      {!view.compile.available && (
        <div className="notice" role="note" data-testid="host-missing">
          The custom-code host (Mono) is not installed, so script.csx does <b>not</b> run: the mock answers from the codeless definition, as the CLI does. To run and
          compile it here: <span className="mono">{view.compile.installHint}</span>, then open the connector again.
        </div>
      )}
      <CodeEditor value={text} onChange={setText} language="csharp" label="script.csx" testId="script-editor" markers={markers} onSave={() => void save()} height={300} />
      {diags.length > 0 && !dirty && (
        <ul className="diags" aria-label="Compile problems" data-testid="compile-problems">
          {diags.map((d, i) => (
            <li key={i} className={d.severity}>
              <span className={d.severity === 'error' ? 'error-text mono' : 'mono'}>{where(d)}</span>
              <span>
                {d.severity}
                {d.code ? ` ${d.code}` : ''}: {d.message}
              </span>
            </li>
          ))}
        </ul>
      )}
      {dirty && <div className="muted small">Unsaved changes — Ctrl+S saves, compiles and puts the script in front of the running mocks.</div>}
      <div className="row wrap">
        <label className="inline">
          Run once
          <select aria-label="Operation to run through the script" value={op} onChange={(e) => setOp(e.target.value)}>
            {allOps.map((id) => (
              <option key={id} value={id}>
                {id}
                {scriptOps.has(id) ? '' : ' (code not run by the gateway)'}
              </option>
            ))}
          </select>
        </label>
        <button className="icon-text" onClick={() => void runOnce()} disabled={!op || running || dirty || !view.compile.available} title={dirty ? 'Save first' : 'Run the operation once through the script (connectorlab script test)'}>
          <Play size={13} aria-hidden /> {running ? 'Running…' : 'Run once'}
        </button>
        <span className="muted small">SendAsync is answered by the built-in mock of the definition.</span>
      </div>
      <details>
        <summary className="muted small">Request (optional: empty builds a valid one from the definition)</summary>
        <CodeEditor value={request} onChange={setRequest} language="json" label="Request document" testId="script-request" height={90} placeholder='{"method":"POST","path":"/v1/items","query":{},"headers":{},"body":{}}' />
      </details>
      {run && <RunReport run={run} />}
    </div>
  );
}

function RunReport({ run }: { run: ScriptRunView }) {
  return (
    <div className="run-report" data-testid="script-run">
      <div className="small">
        <b>{run.operation}</b> → HTTP {run.after.status} · code ran {run.callMs.toFixed(1)} ms · host start {run.coldStartMs.toFixed(0)} ms · compile{' '}
        {run.cached ? 'cached' : `${run.compileMs.toFixed(0)} ms`} <span className="muted">· {run.isolation}</span>
      </div>
      {(run.warnings ?? []).map((w, i) => (
        <div key={i} className="notice small">
          {w}
        </div>
      ))}
      {run.error && (
        <div className="notice risk small" data-testid="script-error">
          <b>{run.error.kind}</b>: {run.error.type ? `${run.error.type}: ` : ''}
          {run.error.message}
          {run.error.stack && <pre>{run.error.stack}</pre>}
        </div>
      )}
      <div className="run-grid">
        <Message title="Request before the code" m={run.before} />
        <Message title="Response after the code" m={run.after} />
        {(run.sends ?? []).map((s, i) => (
          <div key={i} className="run-send" style={{ display: 'contents' }}>
            <Message title={`SendAsync ${i + 1}: request after the code`} m={s.request} />
            <Message title={`SendAsync ${i + 1}: response before the code (${s.millis.toFixed(1)} ms)`} m={s.response} />
          </div>
        ))}
      </div>
      <h4 className="small">Log</h4>
      {(run.logs ?? []).length === 0 ? (
        <div className="muted small">The script logged nothing (Context.Logger, Console).</div>
      ) : (
        <ul className="run-logs" data-testid="script-logs">
          {(run.logs ?? []).map((l, i) => (
            <li key={i}>
              +{l.atMs.toFixed(1)} ms {l.level}: {l.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
