import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ContractScreen } from './ContractScreen';
import { setBackend } from '../api';
import { fakeBackend, sampleRun, sampleView } from '../test/fixtures';

describe('ContractScreen', () => {
  it('runs a session against a target and groups results by operation, failures first', async () => {
    setBackend(fakeBackend({ mockList: async () => [{ path: sampleView.path, url: 'http://127.0.0.1:4010/v1', running: true }] as any }));
    render(<ContractScreen current={sampleView} onError={(e) => { throw e; }} />);
    await waitFor(() => expect((screen.getByLabelText('Target URL') as HTMLInputElement).value).toBe('http://127.0.0.1:4010/v1'));
    await screen.findByText(/session s1/);
    fireEvent.click(screen.getByRole('button', { name: 'Run contract test' }));
    const result = await screen.findByTestId('contract-result');
    expect(screen.getByTestId('contract-verdict').textContent).toBe('failed');
    const ops = result.querySelectorAll('.op-result');
    expect(ops[0].getAttribute('data-operation')).toBe('GetOrder');
    // The failing operation is open with its side-by-side bodies.
    const sbs = within(ops[0] as HTMLElement).getByTestId('json-sbs');
    expect(sbs.querySelector('.ln.removed')?.textContent).toContain('"total"');
    expect(screen.getByRole('img', { name: /Pass rate of the last 2 runs/ })).toBeTruthy();
  });

  it('shows the totals of a run beyond the report caps and says how many cases are not listed', async () => {
    const run = sampleRun();
    run.done = run.total = 5002;
    run.operations[0] = { ...run.operations[0], failed: 5001, summarised: 5000 };
    setBackend(fakeBackend({ contractResult: async () => run, mockList: async () => [{ path: sampleView.path, url: 'http://127.0.0.1:4010/v1', running: true }] as any }));
    render(<ContractScreen current={sampleView} onError={(e) => { throw e; }} />);
    await waitFor(() => expect((screen.getByLabelText('Target URL') as HTMLInputElement).value).toBe('http://127.0.0.1:4010/v1'));
    await screen.findByText(/session s1/);
    fireEvent.click(screen.getByRole('button', { name: 'Run contract test' }));
    const result = await screen.findByTestId('contract-result');
    expect(result.textContent).toContain('5002 cases');
    const op = result.querySelector('.op-result[data-operation="GetOrder"]') as HTMLElement;
    expect(op.textContent).toContain('5001 failed');
    expect(within(op).getByTestId('op-summarised').textContent).toContain('5000 more cases');
  });
});
