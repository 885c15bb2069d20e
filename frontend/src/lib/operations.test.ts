import { describe, expect, it } from 'vitest';
import { filterGroups, limitGroups } from './operations';
import { sampleView } from '../test/fixtures';

describe('filterGroups', () => {
  it('matches id, summary and path case-insensitively and drops empty groups', () => {
    const g = filterGroups(sampleView.groups, 'ORDER');
    expect(g.map((x) => x.title)).toEqual(['Actions', 'Triggers']);
    const t = filterGroups(sampleView.groups, '/hooks');
    expect(t).toHaveLength(1);
    expect(t[0].operations[0].id).toBe('OnOrder');
  });
  it('returns everything for an empty query', () => {
    expect(filterGroups(sampleView.groups, '  ')).toBe(sampleView.groups);
  });
});

describe('limitGroups', () => {
  it('keeps the first operations across groups in order and counts the rest', () => {
    const { groups, hidden } = limitGroups(sampleView.groups, 2);
    expect(groups.map((g) => [g.title, g.operations.length, g.total])).toEqual([['Actions', 2, 2]]);
    expect(hidden).toBe(1);
    const all = limitGroups(sampleView.groups, 10);
    expect(all.hidden).toBe(0);
    expect(all.groups.map((g) => g.operations.length)).toEqual([2, 1]);
    expect(all.groups[0].operations).toBe(sampleView.groups[0].operations);
  });
});
