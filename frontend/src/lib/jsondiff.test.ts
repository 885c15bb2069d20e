import { describe, expect, it } from 'vitest';
import { sideBySide } from './jsondiff';

describe('sideBySide', () => {
  it('ignores changed values but marks removed, added and retyped fields', () => {
    const rec = '{\n  "id": "a1",\n  "total": 12.5,\n  "alexa": 3\n}';
    const rep = '{\n  "id": "b2",\n  "total": "12.5",\n  "rank": 1\n}';
    const { left, right } = sideBySide(rec, rep);
    expect(left.map((l) => l.mark)).toEqual(['same', 'same', 'removed', 'removed', 'same']);
    expect(right.map((l) => l.mark)).toEqual(['same', 'same', 'added', 'added', 'same']);
  });
  it('handles an empty side', () => {
    const { left, right } = sideBySide('', '{}');
    expect(left).toEqual([]);
    expect(right[0].mark).toBe('added');
  });
});
