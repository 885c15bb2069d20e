import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { TriggersPanel } from './TriggersPanel';
import { setBackend } from '../api';
import { fakeBackend } from '../test/fixtures';

describe('TriggersPanel', () => {
  it('lists triggers, fires one and shows the delivery', async () => {
    const fire = vi.fn(fakeBackend().fire);
    setBackend(fakeBackend({ fire }));
    render(<TriggersPanel path="/c" running onError={(e) => { throw e; }} />);
    const row = await screen.findByText('OnOrderShipped', { selector: 'td .mono' });
    const tr = row.closest('tr') as HTMLElement;
    expect(within(tr).getByText('1 subscriptions')).toBeTruthy();
    fireEvent.click(within(tr).getByRole('button', { name: 'Fire' }));
    expect((await screen.findByTestId('fire-result')).textContent).toContain('http://127.0.0.1:9/cb');
    expect(fire).toHaveBeenCalledWith('/c', 'OnOrderShipped', 1, '');
    expect(screen.getByTestId('subscriptions').textContent).toContain('2 delivered');
  });
  it('asks to start the mock first', () => {
    render(<TriggersPanel path="/c" running={false} onError={() => undefined} />);
    expect(screen.getByText(/Start the mock/)).toBeTruthy();
  });
});
