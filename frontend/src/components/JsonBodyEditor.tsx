import { useEffect, useMemo, useState } from 'react';
import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { backend, type BodyProblem, type SchemaOutline } from '../api';
import { CodeEditor } from './LazyCodeEditor';
import type { EditorMarker } from '../lib/editor';
import { spanOf, suggest } from '../lib/jsonschema';

// jsonProblem says why text is not JSON, or '' when it is.
export function jsonProblem(text: string): string {
  if (!text.trim()) return 'the custom body is empty';
  try {
    JSON.parse(text);
    return '';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

interface Props {
  path: string;
  operationId: string;
  // the status the body is sent with (its schema is checked)
  status: number;
  value: string;
  onChange: (v: string) => void;
  label: string;
  onError: (e: unknown) => void;
}

// JsonBodyEditor edits a custom response body: JSON syntax marked as you
// type, the body checked against the operation's declared response schema
// (Go's CheckBody: problems listed with their JSON pointer and marked in
// the text) and completion of property names and enum values from that
// schema (Ctrl+Space). Schema problems warn; they do not stop a save.
export function JsonBodyEditor({ path, operationId, status, value, onChange, label, onError }: Props) {
  const [schema, setSchema] = useState<SchemaOutline | undefined>(undefined);
  const [problems, setProblems] = useState<BodyProblem[]>([]);
  const syntax = jsonProblem(value);
  useEffect(() => {
    const t = setTimeout(() => {
      backend()
        .checkBody(path, operationId, status, syntax ? '' : value)
        .then((r) => {
          setSchema(r.schema);
          setProblems(syntax ? [] : (r.problems ?? []));
        })
        .catch(onError);
    }, 250);
    return () => clearTimeout(t);
  }, [path, operationId, status, value, syntax, onError]);
  const markers = useMemo<EditorMarker[]>(
    () =>
      problems.map((p) => {
        const s = spanOf(value, p.pointer);
        return { from: s.from, to: s.to, severity: 'warning', message: `${p.pointer || '(body)'}: ${p.message}` };
      }),
    [problems, value],
  );
  const complete = useMemo(
    () =>
      (ctx: CompletionContext): CompletionResult | null => {
        const text = ctx.state.doc.toString();
        const s = suggest(text, ctx.pos, schema);
        if (!s || !s.options.length) return null;
        if (!ctx.explicit && ctx.pos === s.from) return null;
        return { from: s.from, to: ctx.pos, options: s.options.map((o) => ({ label: o.label, apply: o.apply, detail: o.detail, info: o.info, type: 'property' })), filter: true };
      },
    [schema],
  );
  return (
    <div className="json-body">
      <CodeEditor value={value} onChange={onChange} language="json" label={label} testId={`editor: ${label}`} markers={markers} complete={complete} height={140} />
      {syntax && <div className="error-text small">Not JSON yet: {syntax}</div>}
      {!syntax && problems.length > 0 && (
        <ul className="schema-problems small" aria-label={`Schema problems of ${operationId}`}>
          {problems.map((p, i) => (
            <li key={i}>
              <span className="mono">{p.pointer || '(body)'}</span> {p.message}
            </li>
          ))}
          <li className="muted">The operation declares another shape for {status || 'this status'}; the mock sends the body anyway.</li>
        </ul>
      )}
      {!syntax && problems.length === 0 && schema && <div className="ok-text small">Matches the declared response schema. Ctrl+Space completes property names.</div>}
    </div>
  );
}
