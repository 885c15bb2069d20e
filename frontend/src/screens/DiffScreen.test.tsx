import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { DiffScreen } from './DiffScreen';
import { setBackend } from '../api';
import { fakeBackend } from '../test/fixtures';
import { groupByLevel } from '../lib/findings';

describe('groupByLevel', () => {
  it('puts breaking changes first and drops empty groups', () => {
    const g = groupByLevel([
      { id: 'a', level: 'info', message: '' },
      { id: 'b', level: 'error', message: '', operation: 'Z' },
      { id: 'c', level: 'error', message: '', operation: 'A' },
    ] as any);
    expect(g.map((x) => x.level)).toEqual(['error', 'info']);
    expect(g[0].findings.map((f) => f.operation)).toEqual(['A', 'Z']);
  });
});

describe('DiffScreen', () => {
  it('compares two paths and shows old and new side by side, breaking first', async () => {
    setBackend(fakeBackend());
    render(<DiffScreen open={[]} onError={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Old definition'), { target: { value: '/old.json' } });
    fireEvent.change(screen.getByLabelText('New definition'), { target: { value: '/new.json' } });
    fireEvent.click(screen.getByRole('button', { name: 'Compare' }));
    const result = await screen.findByTestId('diff-result');
    const headings = within(result).getAllByRole('heading').map((h) => h.textContent);
    expect(headings[0]).toMatch(/^Breaking changes/);
    expect(screen.getByTestId('diff-verdict').textContent).toBe('1 breaking');
    expect(within(result).getByText('a, b, c')).toBeTruthy();
  });
});
