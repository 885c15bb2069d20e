// Helpers for the custom-body editor: where the cursor is in a JSON
// document (for completion against the operation's response schema) and
// where a JSON pointer lands in the text (to mark schema problems). A
// tolerant scanner: it works on half-typed JSON.
import type { SchemaOutline } from '../api';

export type Seg = string | number;

export interface CursorPlace {
  // path of the container the cursor is in (object or array)
  path: Seg[];
  // 'key' when a property name is expected, 'value' otherwise
  expecting: 'key' | 'value';
  // the property whose value is being typed (objects), or the index (arrays)
  key: Seg | null;
  // what was typed of the token so far, and where it starts
  prefix: string;
  from: number;
  inString: boolean;
}

interface Frame {
  kind: 'obj' | 'arr';
  key: string | null;
  index: number;
  expectKey: boolean;
  start: number;
}

function selector(f: Frame): Seg | null {
  return f.kind === 'obj' ? f.key : f.index;
}

export function escapePointer(s: Seg): string {
  return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointerOf(path: Seg[]): string {
  return path.length ? '/' + path.map(escapePointer).join('/') : '';
}

interface Scan {
  stack: Frame[];
  // pointer → [from, to) of the value (and of its key, when in an object)
  spans: Map<string, { from: number; to: number }>;
  inString: boolean;
  stringStart: number;
  stringIsKey: boolean;
}

function scan(text: string, end: number): Scan {
  const stack: Frame[] = [];
  const spans = new Map<string, { from: number; to: number }>();
  let i = 0;
  const here = (): Seg[] => stack.map(selector).filter((s): s is Seg => s !== null);
  const valuePath = (): string => pointerOf(here());
  let keyStart = -1;
  const markValue = (from: number, to: number) => {
    const p = valuePath();
    const f = stack[stack.length - 1];
    const start = f && f.kind === 'obj' && keyStart >= 0 ? keyStart : from;
    if (!spans.has(p)) spans.set(p, { from: start, to });
    keyStart = -1;
  };
  while (i < end) {
    const ch = text[i];
    const top = stack[stack.length - 1];
    if (ch === '"') {
      const start = i;
      i++;
      let s = '';
      while (i < end && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < end) {
          s += text[i + 1];
          i += 2;
          continue;
        }
        s += text[i];
        i++;
      }
      if (i >= end) {
        return { stack, spans, inString: true, stringStart: start, stringIsKey: !!top && top.kind === 'obj' && top.expectKey };
      }
      i++; // closing quote
      if (top && top.kind === 'obj' && top.expectKey) {
        top.key = s;
        keyStart = start;
      } else {
        markValue(start, i);
      }
      continue;
    }
    if (ch === '{' || ch === '[') {
      // the container is the value of the current selector
      const p = valuePath();
      const f = stack[stack.length - 1];
      if (!spans.has(p)) spans.set(p, { from: f && f.kind === 'obj' && keyStart >= 0 ? keyStart : i, to: i + 1 });
      keyStart = -1;
      stack.push({ kind: ch === '{' ? 'obj' : 'arr', key: null, index: 0, expectKey: ch === '{', start: i });
      i++;
      continue;
    }
    if (ch === '}' || ch === ']') {
      stack.pop();
      i++;
      continue;
    }
    if (ch === ':') {
      if (top && top.kind === 'obj') top.expectKey = false;
      i++;
      continue;
    }
    if (ch === ',') {
      if (top && top.kind === 'obj') {
        top.expectKey = true;
        top.key = null;
      } else if (top) top.index++;
      i++;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    // a bare token: number, true, false, null (or something half-typed)
    const start = i;
    while (i < end && !/[\s,\]}:"{[]/.test(text[i])) i++;
    if (!(top && top.kind === 'obj' && top.expectKey)) markValue(start, i);
  }
  return { stack, spans, inString: false, stringStart: -1, stringIsKey: false };
}

// placeAt says what the cursor at pos is typing.
export function placeAt(text: string, pos: number): CursorPlace | null {
  const s = scan(text, pos);
  const top = s.stack[s.stack.length - 1];
  if (!top) return null;
  const path = s.stack
    .slice(0, -1)
    .map(selector)
    .filter((x): x is Seg => x !== null);
  if (s.inString) {
    return { path, expecting: s.stringIsKey ? 'key' : 'value', key: selector(top), prefix: text.slice(s.stringStart + 1, pos), from: s.stringStart, inString: true };
  }
  let from = pos;
  while (from > 0 && /[A-Za-z0-9_.\-+]/.test(text[from - 1])) from--;
  return { path, expecting: top.kind === 'obj' && top.expectKey ? 'key' : 'value', key: selector(top), prefix: text.slice(from, pos), from, inString: false };
}

// outlineAt walks the schema outline along path.
export function outlineAt(schema: SchemaOutline | undefined | null, path: Seg[]): SchemaOutline | null {
  let cur: SchemaOutline | null | undefined = schema;
  for (const seg of path) {
    if (!cur) return null;
    if (typeof seg === 'number' || cur.type === 'array') cur = cur.items;
    else cur = cur.properties?.[seg];
  }
  return cur ?? null;
}

export interface Suggestion {
  label: string;
  // text inserted in place of [from, pos)
  apply: string;
  detail?: string;
  info?: string;
}

function sample(o: SchemaOutline | null | undefined): string {
  switch (o?.type) {
    case 'object':
      return '{}';
    case 'array':
      return '[]';
    case 'string':
      return o.enum?.length ? JSON.stringify(o.enum[0]) : '""';
    case 'integer':
    case 'number':
      return '0';
    case 'boolean':
      return 'false';
  }
  return 'null';
}

// suggest lists what may be typed at pos according to the schema.
export function suggest(text: string, pos: number, schema: SchemaOutline | null | undefined): { from: number; options: Suggestion[] } | null {
  const place = placeAt(text, pos);
  if (!place || !schema) return null;
  if (place.expecting === 'key') {
    const here = outlineAt(schema, place.path);
    if (!here?.properties) return null;
    const required = new Set(here.required ?? []);
    const options = Object.keys(here.properties)
      .sort((a, b) => Number(required.has(b)) - Number(required.has(a)) || a.localeCompare(b))
      .map((k) => {
        const p = here.properties![k];
        return { label: k, apply: `${JSON.stringify(k)}: ${sample(p)}`, detail: (p?.type ?? '') + (required.has(k) ? ' · required' : ''), info: p?.description };
      });
    return { from: place.from, options };
  }
  const target = outlineAt(schema, place.key === null ? place.path : [...place.path, place.key]);
  if (!target) return null;
  let values: unknown[] = [];
  if (target.enum?.length) values = target.enum;
  else if (target.type === 'boolean') values = [true, false];
  else if (target.type === 'object' || target.type === 'array') values = [];
  if (!values.length) {
    if (target.type === 'object' || target.type === 'array') return { from: place.from, options: [{ label: sample(target), apply: sample(target), detail: target.type }] };
    return null;
  }
  return { from: place.from, options: values.map((v) => ({ label: JSON.stringify(v), apply: JSON.stringify(v), detail: target.type })) };
}

// spanOf is where the value at pointer sits in text (its key included);
// the closest existing parent when the pointer names something missing.
export function spanOf(text: string, pointer: string): { from: number; to: number } {
  const { spans } = scan(text, text.length);
  let p = pointer;
  for (;;) {
    const s = spans.get(p);
    if (s) return s;
    if (p === '') return { from: 0, to: Math.min(text.length, 1) };
    p = p.slice(0, p.lastIndexOf('/'));
  }
}
