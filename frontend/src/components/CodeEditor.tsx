// CodeEditor wraps CodeMirror 6 (the maintained, modular successor of
// CodeMirror 5: only the parts imported here are bundled) for the two
// editors of the Mock screen: script.csx (C# highlighting from the clike
// legacy mode) and JSON bodies (the lang-json parser, its syntax linter,
// schema problems as markers and completion from the response schema).
import { useEffect, useRef } from 'react';
import { Compartment, EditorState, StateEffect, type Extension } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection, placeholder as placeholderExt } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, HighlightStyle, indentOnInput, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { csharp } from '@codemirror/legacy-modes/mode/clike';
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { linter, lintGutter, type Diagnostic as CMDiagnostic } from '@codemirror/lint';
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, type CompletionSource } from '@codemirror/autocomplete';
import { tags as t } from '@lezer/highlight';
import type { EditorMarker } from '../lib/editor';

// Colours come from the design system's roles, so both themes work.
const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.modifier, t.controlKeyword, t.operatorKeyword], color: 'var(--purple)' },
  { tag: [t.string, t.special(t.string)], color: 'var(--teal)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--orange)' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--muted)', fontStyle: 'italic' },
  { tag: [t.typeName, t.className, t.definition(t.typeName)], color: 'var(--blue)' },
  { tag: [t.propertyName], color: 'var(--blue)' },
  { tag: [t.meta], color: 'var(--pink)' },
]);

const theme = EditorView.theme({
  '&': { fontSize: 'var(--fs-sm)', border: '1px solid var(--line)', borderRadius: 'var(--r-md)', background: 'var(--panel)', color: 'var(--text)' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '1px' },
  '.cm-content': { fontFamily: 'var(--mono)', caretColor: 'var(--text)' },
  '.cm-gutters': { background: 'var(--panel-2)', color: 'var(--muted)', borderRight: '1px solid var(--line)' },
  '.cm-activeLine': { background: 'var(--hover)' },
  '.cm-activeLineGutter': { background: 'var(--hover)' },
  '.cm-tooltip': { background: 'var(--panel)', color: 'var(--text)', border: '1px solid var(--line)' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { background: 'var(--accent-soft)', color: 'var(--text)' },
  '.cm-scroller': { overflow: 'auto' },
});

// markersChanged re-runs the lint source when the outside markers change
// (the linter otherwise re-runs only on edits).
const markersChanged = StateEffect.define<null>();

export interface CodeEditorProps {
  value: string;
  onChange: (v: string) => void;
  language: 'csharp' | 'json';
  label: string;
  testId?: string;
  // markers from outside (compile errors, schema problems)
  markers?: EditorMarker[];
  // completion for JSON bodies
  complete?: CompletionSource;
  // Mod-s inside the editor
  onSave?: () => void;
  height?: number;
  placeholder?: string;
  readOnly?: boolean;
}

export default CodeEditor;

export function CodeEditor({ value, onChange, language, label, testId, markers, complete, onSave, height = 240, placeholder, readOnly }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const cbs = useRef({ onChange, onSave, complete, markers });
  cbs.current = { onChange, onSave, complete, markers };
  const ro = useRef(new Compartment());

  useEffect(() => {
    if (!host.current) return;
    const exts: Extension[] = [
      lineNumbers(),
      history(),
      drawSelection(),
      highlightActiveLine(),
      indentOnInput(),
      bracketMatching(),
      closeBrackets(),
      syntaxHighlighting(highlight),
      lintGutter(),
      keymap.of([
        { key: 'Mod-s', preventDefault: true, run: () => (cbs.current.onSave?.(), true) },
        ...closeBracketsKeymap,
        ...defaultKeymap,
        ...historyKeymap,
        ...completionKeymap,
        indentWithTab,
      ]),
      theme,
      EditorView.contentAttributes.of({ 'aria-label': label }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) cbs.current.onChange(u.state.doc.toString());
      }),
      ro.current.of(EditorState.readOnly.of(!!readOnly)),
    ];
    if (placeholder) exts.push(placeholderExt(placeholder));
    // One lint source: JSON syntax errors (JSON bodies) plus the markers
    // given from outside (compile errors, schema problems).
    const syntax = language === 'json' ? jsonParseLinter() : null;
    exts.push(
      linter(
        (v) => {
          const len = v.state.doc.length;
          const outside: CMDiagnostic[] = (cbs.current.markers ?? []).map((m) => ({ from: Math.min(m.from, len), to: Math.min(Math.max(m.to, m.from), len), severity: m.severity, message: m.message }));
          return [...(syntax ? syntax(v) : []), ...outside];
        },
        { delay: 250, needsRefresh: (u) => u.transactions.some((tr) => tr.effects.some((e) => e.is(markersChanged))) },
      ),
    );
    if (language === 'csharp') exts.push(StreamLanguage.define(csharp));
    else {
      exts.push(json());
      exts.push(autocompletion({ override: [(ctx) => (cbs.current.complete ? cbs.current.complete(ctx) : null)], activateOnTyping: true }));
    }
    const v = new EditorView({ parent: host.current, state: EditorState.create({ doc: value, extensions: exts }) });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is built once per language; value changes are synced below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [language, label]);

  // Outside changes (a reload, a reset) replace the document.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: ro.current.reconfigure(EditorState.readOnly.of(!!readOnly)) });
  }, [readOnly]);

  useEffect(() => {
    view.current?.dispatch({ effects: markersChanged.of(null) });
  }, [markers]);

  return <div className="code-editor" data-testid={testId} ref={host} style={{ height }} />;
}
