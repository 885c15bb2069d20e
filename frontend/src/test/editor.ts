import { EditorView } from '@codemirror/view';
import { act, screen } from '@testing-library/react';

// The editors load lazily: wait for the one labelled label.

// setEditor replaces the text of the CodeMirror editor labelled label, as
// typing would (the editor's change listener fires).
export async function setEditor(label: string, text: string) {
  const content = await screen.findByLabelText(label, {}, { timeout: 5000 });
  const view = EditorView.findFromDOM(content.closest('.cm-editor') as HTMLElement);
  if (!view) throw new Error(`no editor labelled ${label}`);
  act(() => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }));
}

export async function editorText(label: string): Promise<string> {
  const content = await screen.findByLabelText(label, {}, { timeout: 5000 });
  return EditorView.findFromDOM(content.closest('.cm-editor') as HTMLElement)?.state.doc.toString() ?? '';
}
