import { useEffect, useMemo, useState } from 'react';
import { ArrowDown, ArrowUp, ListFilter, ListOrdered, Plus, Save, Trash2 } from 'lucide-react';
import { backend, type AnswerView, type ConditionView, type ConnectorView, type OperationOverride, type RuleView } from '../api';
import { MethodBadge } from './OperationList';
import { JsonBodyEditor, jsonProblem } from './JsonBodyEditor';

export { jsonProblem };

function label(choice: string): string {
  if (choice.startsWith('status:')) return `declared ${choice.slice(7)}`;
  if (choice.startsWith('example:')) return `example “${choice.slice(8)}”`;
  return choice;
}

type Answer = { response?: string; body?: string; latencyMs?: number };

// AnswerPicker is the answer and latency of an operation or of one of its
// rules, or one answer of a sequence (no latency of its own): the same
// choices in every place (a custom answer starts as {}).
function AnswerPicker({ name, choices, answer, disabled, latency = true, onChange }: { name: string; choices: string[]; answer: Answer; disabled?: boolean; latency?: boolean; onChange: (v: Answer) => void }) {
  return (
    <>
      <select aria-label={`Answer of ${name}`} value={answer.response ?? ''} disabled={disabled} onChange={(e) => onChange({ response: e.target.value, body: e.target.value === 'custom' && !answer.body ? '{}' : answer.body })}>
        <option value="">as the mock would</option>
        {choices.map((ch) => (
          <option key={ch} value={ch}>
            {label(ch)}
          </option>
        ))}
        <option value="generated">generated from the schema</option>
        <option value="custom">custom body…</option>
      </select>
      {latency && (
        <label className="inline">
          latency ms
          <input aria-label={`Latency of ${name}`} type="number" min={0} value={answer.latencyMs ?? 0} disabled={disabled} onChange={(e) => onChange({ latencyMs: Number(e.target.value || 0) })} />
        </label>
      )}
    </>
  );
}

// OperationsPanel edits the connector's per-operation overrides: on/off,
// the answer (a declared status, an example, generated data or a custom
// JSON body), several answers in turn or at random, latency, error rate
// and rules. Saving writes
// .connectorlab/overrides.json beside the connector and applies it to every
// running mock at once; the CLI reads the same file (mock --overrides).
export function OperationsPanel({ c, onError, onNotify }: { c: ConnectorView; onError: (e: unknown) => void; onNotify: (m: string) => void }) {
  const [rows, setRows] = useState<OperationOverride[] | null>(null);
  const [file, setFile] = useState('');
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    backend()
      .overrides(c.path)
      .then((v) => {
        setRows(v.operations ?? []);
        setFile(v.file);
      })
      .catch(onError);
  }, [c.path, onError]);
  const byId = useMemo(() => new Map((rows ?? []).map((r) => [r.operationId, r])), [rows]);
  if (!rows) return <div className="muted small">Loading the operations…</div>;
  const set = (id: string, patch: Partial<OperationOverride>) => {
    setRows(rows.map((r) => (r.operationId === id ? { ...r, ...patch } : r)));
    setDirty(true);
  };
  const badBody = (a: { response?: string; body?: string }) => a.response === 'custom' && jsonProblem(a.body ?? '') !== '';
  const problems = rows.filter((r) => badBody(r) || (r.rules ?? []).some((ru) => badBody(ru) || ru.when.some((w) => !w.key.trim())) || (r.answers ?? []).some(badBody));
  const save = async () => {
    try {
      const v = await backend().saveOverrides(c.path, rows);
      setRows(v.operations ?? []);
      setDirty(false);
      const n = (v.operations ?? []).filter((r) => r.disabled || r.response || r.latencyMs || r.errorRate || (r.rules ?? []).length || (r.answers ?? []).length).length;
      onNotify(`Saved ${n} override${n === 1 ? '' : 's'} to ${v.file}; the running mocks use them now`);
    } catch (e) {
      onError(e);
    }
  };
  return (
    <div className="ops-panel" data-testid="operations-panel">
      <div className="row">
        <span className="muted small grow ellipsis" title={file} data-volatile>
          Saved in {file}; <span className="mono">connectorlab mock --overrides</span> reads the same file.
        </span>
        <button className="primary small icon-text" onClick={() => void save()} disabled={!dirty || problems.length > 0}>
          <Save size={14} aria-hidden /> Save
        </button>
      </div>
      {c.groups.map((g) => (
        <div key={g.title} className="op-group">
          <h3>
            {g.title} <span className="muted">({g.operations.length})</span>
          </h3>
          {g.operations.map((op) => {
            const r = byId.get(op.id);
            if (!r) return null;
            return (
              <div key={op.id} className={'ovr' + (r.disabled ? ' off' : '')} data-override={op.id}>
                <div className="op-line">
                  <label className="inline check">
                    <input type="checkbox" aria-label={`Enable ${op.id}`} checked={!r.disabled} onChange={(e) => set(op.id, { disabled: !e.target.checked })} />
                  </label>
                  <MethodBadge method={op.method} />
                  <span className="op-summary grow ellipsis">{op.summary || op.id}</span>
                  {op.trigger && <span className="badge trigger">{op.trigger.kind} trigger</span>}
                  {op.dynamic && op.dynamic.length > 0 && <span className="badge info">dynamic</span>}
                  {(r.rules ?? []).length > 0 && (
                    <span className="badge info">
                      {r.rules.length} rule{r.rules.length === 1 ? '' : 's'}
                    </span>
                  )}
                  {(r.answers ?? []).length > 0 && (
                    <span className="badge info">
                      {r.answers.length} answer{r.answers.length === 1 ? '' : 's'} {r.mode === 'random' ? 'at random' : 'in turn'}
                    </span>
                  )}
                </div>
                <div className="ovr-controls">
                  <AnswerPicker name={op.id} choices={r.choices} answer={r} disabled={r.disabled} onChange={(v) => set(op.id, v)} />
                  <label className="inline">
                    errors
                    <input aria-label={`Error rate of ${op.id}`} type="number" min={0} max={1} step={0.05} value={r.errorRate ?? 0} disabled={r.disabled} onChange={(e) => set(op.id, { errorRate: Number(e.target.value || 0) })} />
                  </label>
                  {(r.answers ?? []).length > 0 && <span className="muted small">the several answers below replace this answer</span>}
                </div>
                {r.response === 'custom' && !r.disabled && (
                  <div className="ovr-custom">
                    <label className="inline">
                      status
                      <input aria-label={`Custom status of ${op.id}`} type="number" min={100} max={599} value={r.status || 200} onChange={(e) => set(op.id, { status: Number(e.target.value || 200) })} />
                    </label>
                    <JsonBodyEditor path={c.path} operationId={op.id} status={r.status || 200} value={r.body ?? ''} onChange={(b) => set(op.id, { body: b })} label={`Custom body of ${op.id}`} onError={onError} />
                  </div>
                )}
                {!r.disabled && <SequenceEditor c={c} row={r} onChange={(patch) => set(op.id, patch)} onError={onError} />}
                {!r.disabled && <RulesEditor c={c} row={r} onChange={(rules) => set(op.id, { rules })} onError={onError} />}
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );
}

const newRule = (): RuleView => ({ name: '', when: [{ in: 'query', key: '', value: '' }], response: '', status: 0, body: '', latencyMs: 0 });

// RulesEditor edits an operation's rules: each is a list of conditions
// (path parameter, query parameter, header, or a JSON pointer into the
// request body, each equal to a value) and the answer it gives — tried in
// order, the first that matches answers, before the operation's answer.
function RulesEditor({ c, row, onChange, onError }: { c: ConnectorView; row: OperationOverride; onChange: (r: RuleView[]) => void; onError: (e: unknown) => void }) {
  const rules = row.rules ?? [];
  const id = row.operationId;
  const put = (i: number, patch: Partial<RuleView>) => onChange(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const putCond = (i: number, k: number, patch: Partial<ConditionView>) => put(i, { when: rules[i].when.map((w, j) => (j === k ? { ...w, ...patch } : w)) });
  const move = (i: number, d: number) => {
    const next = rules.slice();
    const [r] = next.splice(i, 1);
    next.splice(i + d, 0, r);
    onChange(next);
  };
  return (
    <details className="ovr-rules" open={rules.length > 0 || undefined} data-rules={id}>
      <summary>
        <ListFilter size={13} aria-hidden /> Rules {rules.length > 0 ? `(${rules.length}, first match wins)` : '— answer differently when the request matches'}
      </summary>
      {rules.map((ru, i) => (
        <div key={i} className="rule" data-rule={`${id}#${i + 1}`}>
          <div className="rule-head">
            <span className="muted small">#{i + 1}</span>
            <input aria-label={`Name of rule ${i + 1} of ${id}`} placeholder="name (optional)" value={ru.name ?? ''} onChange={(e) => put(i, { name: e.target.value })} />
            <span className="grow" />
            <button className="ghost icon" aria-label={`Move rule ${i + 1} of ${id} up`} disabled={i === 0} onClick={() => move(i, -1)}>
              <ArrowUp size={13} aria-hidden />
            </button>
            <button className="ghost icon" aria-label={`Move rule ${i + 1} of ${id} down`} disabled={i === rules.length - 1} onClick={() => move(i, 1)}>
              <ArrowDown size={13} aria-hidden />
            </button>
            <button className="ghost icon" aria-label={`Remove rule ${i + 1} of ${id}`} onClick={() => onChange(rules.filter((_, j) => j !== i))}>
              <Trash2 size={13} aria-hidden />
            </button>
          </div>
          <div className="rule-when">
            <span className="muted small">when</span>
            {ru.when.map((w, k) => (
              <div key={k} className="cond">
                <select aria-label={`Where condition ${k + 1} of rule ${i + 1} of ${id} looks`} value={w.in} onChange={(e) => putCond(i, k, { in: e.target.value, key: e.target.value === 'path' ? (row.pathParams?.[0] ?? '') : w.key })}>
                  {(row.pathParams ?? []).length > 0 && <option value="path">path parameter</option>}
                  <option value="query">query parameter</option>
                  <option value="header">header</option>
                  <option value="body">body field (JSON pointer)</option>
                </select>
                {w.in === 'path' ? (
                  <select aria-label={`Key of condition ${k + 1} of rule ${i + 1} of ${id}`} value={w.key} onChange={(e) => putCond(i, k, { key: e.target.value })}>
                    {(row.pathParams ?? []).map((p) => (
                      <option key={p} value={p}>
                        {p}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    aria-label={`Key of condition ${k + 1} of rule ${i + 1} of ${id}`}
                    className="mono"
                    placeholder={w.in === 'body' ? '/customer/id' : w.in === 'header' ? 'X-Tier' : 'name'}
                    value={w.key}
                    aria-invalid={!w.key.trim()}
                    onChange={(e) => putCond(i, k, { key: e.target.value })}
                  />
                )}
                <span className="muted">=</span>
                <input aria-label={`Value of condition ${k + 1} of rule ${i + 1} of ${id}`} className="mono" placeholder="value" value={w.value} onChange={(e) => putCond(i, k, { value: e.target.value })} />
                <button className="ghost icon" aria-label={`Remove condition ${k + 1} of rule ${i + 1} of ${id}`} onClick={() => put(i, { when: ru.when.filter((_, j) => j !== k) })}>
                  <Trash2 size={12} aria-hidden />
                </button>
              </div>
            ))}
            <button className="ghost small icon-text" onClick={() => put(i, { when: [...ru.when, { in: 'query', key: '', value: '' }] })}>
              <Plus size={12} aria-hidden /> condition
            </button>
            {ru.when.length === 0 && <span className="muted small">no condition: always matches</span>}
          </div>
          <div className="rule-then">
            <span className="muted small">then</span>
            <AnswerPicker name={`rule ${i + 1} of ${id}`} choices={row.choices} answer={ru} onChange={(v) => put(i, v)} />
            {ru.response === 'custom' && (
              <label className="inline">
                status
                <input aria-label={`Status of rule ${i + 1} of ${id}`} type="number" min={100} max={599} value={ru.status || 200} onChange={(e) => put(i, { status: Number(e.target.value || 200) })} />
              </label>
            )}
          </div>
          {ru.response === 'custom' && (
            <JsonBodyEditor path={c.path} operationId={id} status={ru.status || 200} value={ru.body ?? ''} onChange={(b) => put(i, { body: b })} label={`Body of rule ${i + 1} of ${id}`} onError={onError} />
          )}
        </div>
      ))}
      <button className="small icon-text" onClick={() => onChange([...rules, newRule()])}>
        <Plus size={13} aria-hidden /> Add a rule to {id}
      </button>
    </details>
  );
}

const modes: [string, string][] = [
  ['sequential', 'in turn'],
  ['random', 'at random'],
];

// SequenceEditor edits an operation's several answers (the file's
// "responses" and "mode"): when no rule matches they are answered in turn,
// starting again after the last, or at random — each one like the
// operation's single answer. Laid out as the rules are.
function SequenceEditor({ c, row, onChange, onError }: { c: ConnectorView; row: OperationOverride; onChange: (p: Partial<OperationOverride>) => void; onError: (e: unknown) => void }) {
  const answers = row.answers ?? [];
  const id = row.operationId;
  const mode = row.mode === 'random' ? 'random' : 'sequential';
  const put = (i: number, patch: Partial<AnswerView>) => onChange({ answers: answers.map((a, j) => (j === i ? { ...a, ...patch } : a)) });
  const move = (i: number, d: number) => {
    const next = answers.slice();
    const [a] = next.splice(i, 1);
    next.splice(i + d, 0, a);
    onChange({ answers: next });
  };
  // A new answer starts as the operation's own, so "add" twice then
  // changing one is the quickest way to a two-answer sequence.
  const add = () => onChange({ answers: [...answers, answers.length === 0 && row.response ? { response: row.response, status: row.status, body: row.body } : { response: '' }], mode });
  return (
    <details className="ovr-rules" open={answers.length > 0 || undefined} data-sequence={id}>
      <summary>
        <ListOrdered size={13} aria-hidden /> Several answers {answers.length > 0 ? `(${answers.length}, ${mode === 'random' ? 'at random' : 'in turn'})` : '— answer in turn or at random'}
      </summary>
      {answers.length > 0 && (
        <div className="rule-head">
          <label className="inline">
            order
            <select aria-label={`Order of the answers of ${id}`} value={mode} onChange={(e) => onChange({ mode: e.target.value })}>
              {modes.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </label>
          <span className="muted small">{mode === 'random' ? 'each call picks one of them' : 'call 1 gets #1, then #2, …, then #1 again'}; rules still answer first</span>
        </div>
      )}
      {answers.map((a, i) => (
        <div key={i} className="rule" data-answer={`${id}#${i + 1}`}>
          <div className="rule-head rule-then">
            <span className="muted small">#{i + 1}</span>
            <AnswerPicker name={`answer ${i + 1} of ${id}`} choices={row.choices} answer={a} latency={false} onChange={(v) => put(i, v)} />
            {a.response === 'custom' && (
              <label className="inline">
                status
                <input aria-label={`Status of answer ${i + 1} of ${id}`} type="number" min={100} max={599} value={a.status || 200} onChange={(e) => put(i, { status: Number(e.target.value || 200) })} />
              </label>
            )}
            {a.response === 'custom' && a.headers && Object.keys(a.headers).length > 0 && (
              <span className="muted small mono" title="headers from the file; kept on save">
                + {Object.keys(a.headers).join(', ')}
              </span>
            )}
            <span className="grow" />
            <button className="ghost icon" aria-label={`Move answer ${i + 1} of ${id} up`} disabled={i === 0} onClick={() => move(i, -1)}>
              <ArrowUp size={13} aria-hidden />
            </button>
            <button className="ghost icon" aria-label={`Move answer ${i + 1} of ${id} down`} disabled={i === answers.length - 1} onClick={() => move(i, 1)}>
              <ArrowDown size={13} aria-hidden />
            </button>
            <button className="ghost icon" aria-label={`Remove answer ${i + 1} of ${id}`} onClick={() => onChange({ answers: answers.filter((_, j) => j !== i) })}>
              <Trash2 size={13} aria-hidden />
            </button>
          </div>
          {a.response === 'custom' && (
            <JsonBodyEditor path={c.path} operationId={id} status={a.status || 200} value={a.body ?? ''} onChange={(b) => put(i, { body: b })} label={`Body of answer ${i + 1} of ${id}`} onError={onError} />
          )}
        </div>
      ))}
      <button className="small icon-text" onClick={add}>
        <Plus size={13} aria-hidden /> Add an answer to {id}
      </button>
    </details>
  );
}
