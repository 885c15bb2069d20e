import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { MockScreen } from './MockScreen';
import { setBackend } from '../api';
import { fakeBackend, sampleView } from '../test/fixtures';

describe('MockModes', () => {
  it('starts a mock that watches its files and replays a recorded session with fallback', async () => {
    const mockStart = vi.fn(async (cfg: any) => ({
      ...(await fakeBackend().mockStart(cfg)),
      replaying: 's1',
      replayExchanges: 2,
      reloads: 0,
    }) as any);
    setBackend(fakeBackend({ mockStart }));
    render(<MockScreen current={sampleView} onError={(e) => { throw e; }} />);
    fireEvent.click(screen.getByLabelText('Watch definition files'));
    await screen.findByRole('option', { name: 'session s1 (2 exchanges)' });
    fireEvent.change(screen.getByLabelText('Replay session'), { target: { value: '1' } });
    fireEvent.click(screen.getByLabelText('Simulate on a miss'));
    expect((screen.getByLabelText('Spy URL') as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Start mock' }));
    const st = await screen.findByTestId('mock-modes-status');
    expect(st.textContent).toContain('Replaying session s1 (2 exchanges)');
    expect(st.textContent).toContain('Watching the definition: no change yet');
    expect(mockStart.mock.calls[0][0]).toMatchObject({ watch: true, replaySession: 1, fallback: true });
  });
});
