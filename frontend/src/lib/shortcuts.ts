// Keyboard shortcuts of the window. shortcutFor maps a key event to an
// action; App performs it. Kept pure so it is tested without a window.
export type Shortcut =
  | { kind: 'screen'; index: number } // Ctrl/⌘+1…9: switch screens
  | { kind: 'search' } // Ctrl/⌘+K, Ctrl/⌘+F, or / outside a text field: focus the screen's search
  | { kind: 'primary' } // Ctrl/⌘+Enter: start/stop the mock, start/stop recording, run the test
  | { kind: 'help' } // ? outside a text field: the list of shortcuts
  | { kind: 'escape' }; // Esc: close the help, leave the search

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey?: boolean;
  target: EventTarget | null;
}

function typing(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}

export function shortcutFor(e: KeyLike): Shortcut | null {
  const mod = e.ctrlKey || e.metaKey;
  if (e.altKey) return null;
  if (mod && /^[1-9]$/.test(e.key)) return { kind: 'screen', index: Number(e.key) - 1 };
  if (mod && (e.key === 'k' || e.key === 'K' || e.key === 'f' || e.key === 'F')) return { kind: 'search' };
  if (mod && e.key === 'Enter') return { kind: 'primary' };
  if (e.key === 'Escape') return { kind: 'escape' };
  if (mod || typing(e.target)) return null;
  if (e.key === '/') return { kind: 'search' };
  if (e.key === '?') return { kind: 'help' };
  return null;
}

export const shortcutHelp: [string, string][] = [
  ['Ctrl+1 … Ctrl+6', 'switch screens (in the order of the sidebar)'],
  ['Ctrl+Enter', 'start or stop the mock, start or stop recording, run the contract test'],
  ['Ctrl+K, Ctrl+F or /', "focus the screen's search or filter"],
  ['?', 'this list'],
  ['Esc', 'close this list, leave a search box'],
];
