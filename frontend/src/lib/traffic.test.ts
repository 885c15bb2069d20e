import { describe, expect, it } from 'vitest';
import { appendBatch, filterRows, statusClass } from './traffic';
import { makeRows } from '../test/fixtures';

describe('appendBatch', () => {
  it('keeps only rows of the stream and returns the same array when none match', () => {
    const rows = makeRows(3);
    const other = makeRows(2, 'mock:/other');
    expect(appendBatch(rows, other, 'mock:/c/contoso')).toBe(rows);
    expect(appendBatch(rows, [...other, ...makeRows(1)], 'mock:/c/contoso')).toHaveLength(4);
  });
  it('caps the list, dropping the oldest', () => {
    const r = appendBatch(makeRows(8), makeRows(5), 'mock:/c/contoso', 10);
    expect(r).toHaveLength(10);
    expect(r[0].seq).toBe(4);
  });
});

describe('filterRows', () => {
  const rows = makeRows(100);
  it('matches status classes and text', () => {
    expect(filterRows(rows, '4xx')).toHaveLength(10);
    expect(filterRows(rows, '/orders/42')).toHaveLength(1);
    expect(filterRows(rows, '!')).toHaveLength(10);
    expect(filterRows(rows, '')).toBe(rows);
  });
  it('classes statuses', () => {
    expect(statusClass({ ...rows[0], status: 503 })).toBe('st-5');
    expect(statusClass({ ...rows[0], status: 0 })).toBe('st-err');
  });
});
