import { describe, expect, it } from 'vitest';
import { filterGroups } from './operations';
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
