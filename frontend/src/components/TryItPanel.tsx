import { useEffect, useState } from 'react';
import { backend, type LookupOption, type OperationView, type ParamView, type TryResult } from '../api';
import { bodyError, initialValues, inputKind, missingRequired, paramKey, visibleParams } from '../lib/tryit';
import { MethodBadge } from './OperationList';
import { Body, Headers } from './ExchangeDetail';

interface Props {
  path: string;
  op: OperationView;
  running: boolean;
  onError: (e: unknown) => void;
}

// TryItPanel is the maker portal's Test tab: a form generated from the
// operation's parameters, sent to the running mock. Its parent keys it by
// connector path and operation id, so another operation mounts a fresh form
// holding that operation's example, and a refresh of the same operation
// keeps what the maker typed. (A reset in an effect ran after the paint and
// could land inside a keystroke or a paste: e2e saw a typed body appended
// to the example.)
export function TryItPanel({ path, op, running, onError }: Props) {
  const [values, setValues] = useState<Record<string, string>>(() => initialValues(op));
  const [body, setBody] = useState(op.body?.example ?? '');
  const [prefer, setPrefer] = useState('');
  const [noAuth, setNoAuth] = useState(false);
  const [result, setResult] = useState<TryResult | null>(null);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState('');

  const set = (k: string, v: string) => setValues((old) => ({ ...old, [k]: v }));

  const send = async () => {
    const missing = missingRequired(op, values);
    const bErr = op.body ? bodyError(body) : '';
    if (missing.length > 0) return setProblem(`Fill in the required fields: ${missing.join(', ')}.`);
    if (bErr) return setProblem(bErr);
    setProblem('');
    setSending(true);
    try {
      setResult(await backend().mockTry({ path, operationId: op.id, params: values, body: op.body ? body : '', contentType: op.body?.contentType, prefer, noAuth }));
    } catch (e) {
      onError(e);
    } finally {
      setSending(false);
    }
  };

  return (
    <div className="tryit" data-testid="tryit">
      <div className="row">
        <MethodBadge method={op.method} />
        <strong>{op.summary || op.id}</strong>
        <span className="mono small muted">{op.path}</span>
      </div>
      {op.description && <div className="small muted">{op.description}</div>}
      {op.trigger && (
        <div className="small notice">
          {op.trigger.kind === 'webhook'
            ? `Webhook trigger: sending this subscribes${op.trigger.callback ? ` (callback in ${op.trigger.callback})` : ''}.`
            : 'Polling trigger: each send polls once; new items appear as the mock produces them.'}
        </div>
      )}
      <div className="form-grid">
        {visibleParams(op).map((p) => (
          <ParamInput key={paramKey(p)} p={p} value={values[paramKey(p)] ?? ''} onChange={(v) => set(paramKey(p), v)} path={path} values={values} running={running} onError={onError} />
        ))}
      </div>
      {op.body && (
        <label>
          Body ({op.body.contentType}){op.body.required ? ' *' : ''}
          <textarea aria-label="Request body" rows={8} value={body} onChange={(e) => setBody(e.target.value)} spellCheck={false} />
        </label>
      )}
      <div className="row">
        <label className="inline">
          Answer with
          <select aria-label="Prefer" value={prefer} onChange={(e) => setPrefer(e.target.value)}>
            <option value="">the declared success response</option>
            <option value="dynamic=true">generated data (ignore examples)</option>
            <option value="code=400">400</option>
            <option value="code=404">404</option>
            <option value="code=429">429</option>
            <option value="code=500">500</option>
          </select>
        </label>
        <label className="inline check">
          <input type="checkbox" checked={noAuth} onChange={(e) => setNoAuth(e.target.checked)} /> send without credentials
        </label>
        <span className="grow" />
        <button className="primary" onClick={() => void send()} disabled={!running || sending} title={running ? '' : 'Start the mock first'}>
          {sending ? 'Sending…' : 'Send'}
        </button>
      </div>
      {problem && (
        <div className="error-text small" role="alert">
          {problem}
        </div>
      )}
      {result && (
        <div className="try-result" data-testid="try-result">
          <div className="row">
            <span className={'badge ' + (result.status >= 400 ? 'error' : 'ok')} data-testid="try-status">
              {result.status}
            </span>
            <span className="mono small" data-volatile>
              {result.method} {result.url}
            </span>
            <span className="muted small" data-volatile>
              {result.millis} ms
            </span>
          </div>
          <Headers m={result.response} />
          <Body m={result.response} label="Response" />
        </div>
      )}
    </div>
  );
}

function ParamInput({
  p,
  value,
  onChange,
  path,
  values,
  running,
  onError,
}: {
  p: ParamView;
  value: string;
  onChange: (v: string) => void;
  path: string;
  values: Record<string, string>;
  running: boolean;
  onError: (e: unknown) => void;
}) {
  const kind = inputKind(p);
  const [options, setOptions] = useState<LookupOption[] | null>(null);
  const [loading, setLoading] = useState(false);
  const label = (
    <span>
      {p.label || p.name}
      {p.required && ' *'} <span className="muted">({p.in}{p.type ? `, ${p.type}` : ''})</span>
    </span>
  );
  const load = async () => {
    if (!p.dynamic) return;
    setLoading(true);
    try {
      setOptions(await backend().mockLookup({ path, ref: p.dynamic, values }));
    } catch (e) {
      onError(e);
    } finally {
      setLoading(false);
    }
  };
  // Fill a dynamic dropdown as soon as the mock runs, as the designer does.
  useEffect(() => {
    if (kind === 'dynamic' && running && options === null) void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind, running]);

  const aria = p.label || p.name;
  let control;
  if (kind === 'select' || kind === 'boolean') {
    const opts = kind === 'boolean' ? ['true', 'false'] : (p.enum ?? []).map(String);
    control = (
      <select aria-label={aria} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>
        {opts.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else if (kind === 'dynamic') {
    control = (
      <div className="row">
        <select aria-label={aria} className="grow" value={value} onChange={(e) => onChange(e.target.value)} data-dynamic={p.dynamic?.operationId}>
          <option value="">{options === null ? (running ? 'loading…' : 'start the mock to load') : `— ${options.length} from ${p.dynamic?.operationId}`}</option>
          {(options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.title}
            </option>
          ))}
          {value && options && !options.some((o) => o.value === value) && <option value={value}>{value}</option>}
        </select>
        <button className="small" onClick={() => void load()} disabled={!running || loading} title="Reload from the lookup operation">
          ↻
        </button>
      </div>
    );
  } else {
    control = <input aria-label={aria} type={kind === 'number' ? 'number' : 'text'} value={value} placeholder={p.format || ''} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <label title={p.description}>
      {label}
      {control}
    </label>
  );
}
