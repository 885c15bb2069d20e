export type Mark = 'same' | 'removed' | 'added';

export interface DiffLine {
  text: string;
  mark: Mark;
}

// sideBySide marks the lines of two pretty-printed JSON documents: lines of
// the recorded side that the replayed side lacks are "removed", replayed
// lines the recorded side lacks are "added". It compares lines with their
// values masked, so a changed id does not light up while a missing or
// retyped field does (values are noise by default in contract runs).
export function sideBySide(recorded: string, replayed: string): { left: DiffLine[]; right: DiffLine[] } {
  const a = recorded ? recorded.split('\n') : [];
  const b = replayed ? replayed.split('\n') : [];
  const key = (l: string) => l.trim().replace(/:\s*("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*)(,?)$/, (_m, v: string, comma: string) => `: ${typeOf(v)}${comma}`);
  const count = (ls: string[]) => {
    const m = new Map<string, number>();
    for (const l of ls) m.set(key(l), (m.get(key(l)) ?? 0) + 1);
    return m;
  };
  const inB = count(b);
  const inA = count(a);
  const mark = (ls: string[], other: Map<string, number>, miss: Mark): DiffLine[] =>
    ls.map((text) => {
      const k = key(text);
      const n = other.get(k) ?? 0;
      if (n > 0) {
        other.set(k, n - 1);
        return { text, mark: 'same' };
      }
      return { text, mark: miss };
    });
  return { left: mark(a, inB, 'removed'), right: mark(b, inA, 'added') };
}

function typeOf(v: string): string {
  return v.startsWith('"') ? '<string>' : '<number>';
}
