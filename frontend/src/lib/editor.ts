// Shared by the code editors and their users; kept apart from
// components/CodeEditor.tsx so that CodeMirror loads only when an editor
// is shown (components/LazyCodeEditor.tsx).
export interface EditorMarker {
  from: number;
  to: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

// lineColToPos turns a 1-based line and column into an offset of text.
export function lineColToPos(text: string, line: number, col: number): number {
  let pos = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) return text.length;
    pos = nl + 1;
  }
  const end = text.indexOf('\n', pos);
  const lineEnd = end < 0 ? text.length : end;
  return Math.min(pos + Math.max(0, col - 1), lineEnd);
}
