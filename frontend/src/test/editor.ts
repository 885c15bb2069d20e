import { EditorView } from '@codemirror/view';
import { act, screen } from '@testing-library/react';

// setEditor replaces the text of the CodeMirror editor labelled label, as
// typing would (the editor's change listener fires).
export function setEditor(label: string, text: string) {
  const content = screen.getByLabelText(label);
  const view = EditorView.findFromDOM(content.closest('.cm-editor') as HTMLElement);
  if (!view) throw new Error(`no editor labelled ${label}`);
  act(() => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }));
}

export function editorText(label: string): string {
  const content = screen.getByLabelText(label);
  return EditorView.findFromDOM(content.closest('.cm-editor') as HTMLElement)?.state.doc.toString() ?? '';
}
