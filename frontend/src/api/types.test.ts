import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Item 7 of issue 16: payloads of events and bound calls are typed from one
// place (src/api: the generated models and EventPayloads), never `any`.
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'wailsjs' || f === 'test' ? [] : files(p);
    return /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) ? [p] : [];
  });
}

describe('frontend types', () => {
  it('no source file outside the generated bindings and tests uses any', () => {
    const root = join(__dirname, '..');
    const offenders = files(root).flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => [line, i + 1] as const)
        .filter(([line]) => /(:\s*any\b|as any\b|<any>|any\[\])/.test(line.replace(/\/\/.*$/, '')))
        .map(([, n]) => `${f}:${n}`),
    );
    expect(offenders).toEqual([]);
  });
  it('every event has a payload type', async () => {
    const src = readFileSync(join(__dirname, 'index.ts'), 'utf8');
    const { Events } = await import('./events');
    for (const k of Object.keys(Events)) expect(src).toContain(`[Events.${k}]:`);
  });
});
