import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { ExchangeDetail } from './ExchangeDetail';
import type { ExchangeView } from '../api';
import { makeRows } from '../test/fixtures';

const detail = (over: Partial<ExchangeView['row']> = {}) =>
  ({ row: { ...makeRows(2)[1], ...over }, url: 'http://127.0.0.1:4010/v1/orders/2', request: { headers: [], kind: 'empty', body: '', size: 0 }, response: { headers: [], kind: 'json', body: '{}', size: 2 }, notes: [], redactions: [] }) as unknown as ExchangeView;

describe('Save as test case', () => {
  it('saves the exchange into a named session', async () => {
    const save = vi.fn(async () => undefined);
    const x = detail();
    render(<ExchangeDetail x={x} onSaveCase={save} />);
    fireEvent.click(screen.getByRole('button', { name: /Save as test case/ }));
    const name = screen.getByLabelText('Test-case session') as HTMLInputElement;
    expect(name.value).toBe('test cases');
    fireEvent.change(name, { target: { value: 'orders regression' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await vi.waitFor(() => expect(save).toHaveBeenCalledWith(x, 'orders regression'));
    await vi.waitFor(() => expect(screen.getByRole('button', { name: /Save as test case/ })).toBeTruthy());
  });
  it('refuses an exchange without a response and a webhook delivery', () => {
    const { unmount } = render(<ExchangeDetail x={detail({ status: 0 })} onSaveCase={async () => undefined} />);
    expect((screen.getByRole('button', { name: /Save as test case/ }) as HTMLButtonElement).disabled).toBe(true);
    unmount();
    render(<ExchangeDetail x={detail({ source: 'event' })} onSaveCase={async () => undefined} />);
    expect((screen.getByRole('button', { name: /Save as test case/ }) as HTMLButtonElement).disabled).toBe(true);
  });
});
