import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { OperationsPanel, jsonProblem } from './OperationsPanel';
import { setBackend, type OperationOverride } from '../api';
import { fakeBackend, sampleView } from '../test/fixtures';

describe('OperationsPanel', () => {
  it('disables an operation, picks a declared answer and a custom JSON body, then saves', async () => {
    const saved = vi.fn();
    setBackend(
      fakeBackend({
        saveOverrides: async (_p: string, rows: OperationOverride[]) => {
          saved(rows);
          return { file: '/c/contoso/.connectorlab/overrides.json', operations: rows } as never;
        },
      }),
    );
    const notify = vi.fn();
    render(<OperationsPanel c={sampleView} onError={(e) => { throw e; }} onNotify={notify} />);
    const save = await screen.findByRole('button', { name: /Save/ });
    expect((save as HTMLButtonElement).disabled).toBe(true);
    // Grouped as the portal does, triggers marked.
    expect(screen.getByText('webhook trigger')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Enable ListOrders'));
    fireEvent.change(screen.getByLabelText('Answer of CreateOrder'), { target: { value: 'custom' } });
    const body = screen.getByLabelText('Custom body of CreateOrder');
    fireEvent.change(body, { target: { value: '{"id": ' } });
    expect(screen.getByText(/Not JSON yet/)).toBeTruthy();
    expect((save as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(body, { target: { value: '{"id": "o-1"}' } });
    fireEvent.change(screen.getByLabelText('Latency of OnOrder'), { target: { value: '250' } });
    fireEvent.click(save);
    await vi.waitFor(() => expect(saved).toHaveBeenCalled());
    const rows = saved.mock.calls[0][0] as OperationOverride[];
    const by = Object.fromEntries(rows.map((r) => [r.operationId, r]));
    expect(by.ListOrders.disabled).toBe(true);
    expect(by.CreateOrder).toMatchObject({ response: 'custom', body: '{"id": "o-1"}' });
    expect(by.OnOrder.latencyMs).toBe(250);
    await vi.waitFor(() => expect(notify).toHaveBeenCalledWith(expect.stringContaining('Saved 3 overrides')));
  });
  it('explains why a body is not JSON', () => {
    expect(jsonProblem('')).toMatch(/empty/);
    expect(jsonProblem('{')).not.toBe('');
    expect(jsonProblem('[1]')).toBe('');
  });
});
