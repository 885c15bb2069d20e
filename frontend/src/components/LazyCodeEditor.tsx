import { lazy, Suspense } from 'react';
import type { CodeEditorProps } from './CodeEditor';

// CodeMirror is a third of the bundle: it is loaded when the first editor
// is shown (a custom body, a rule's body, the custom-code tab), not at
// start-up.
const Editor = lazy(() => import('./CodeEditor'));

export function CodeEditor(props: CodeEditorProps) {
  return (
    <Suspense fallback={<div className="code-editor muted small" style={{ height: props.height ?? 240 }}>Loading the editor…</div>}>
      <Editor {...props} />
    </Suspense>
  );
}
