import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { OperationsPanel, jsonProblem } from './OperationsPanel';
import { setBackend, type OperationOverride } from '../api';
import { fakeBackend, sampleView } from '../test/fixtures';
import { setEditor } from '../test/editor';

// The editors load CodeMirror lazily; load it once up front.
beforeAll(() => import('./CodeEditor'), 30000);

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
    await setEditor('Custom body of CreateOrder', '{"id": ');
    expect(await screen.findByText(/Not JSON yet/)).toBeTruthy();
    expect((save as HTMLButtonElement).disabled).toBe(true);
    await setEditor('Custom body of CreateOrder', '{"id": "o-1"}');
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
  it('lists schema problems of a custom body with their JSON pointer', async () => {
    setBackend(fakeBackend({ checkBody: async (_p, _op, _st, body) => ({ problems: body ? [{ pointer: '/status', message: 'value is not one of the allowed values' }] : [], schema: { type: 'object' } }) }));
    render(<OperationsPanel c={sampleView} onError={(e) => { throw e; }} onNotify={() => undefined} />);
    fireEvent.change(await screen.findByLabelText('Answer of CreateOrder'), { target: { value: 'custom' } });
    await setEditor('Custom body of CreateOrder', '{"status": "lost"}');
    const list = await screen.findByLabelText('Schema problems of CreateOrder');
    expect(list.textContent).toContain('/status');
    expect(list.textContent).toContain('not one of the allowed values');
    // A schema problem warns; it does not stop the save.
    expect((screen.getByRole('button', { name: /Save/ }) as HTMLButtonElement).disabled).toBe(false);
  });
  it('edits rules (first match wins) and saves them with the operation', async () => {
    const saved = vi.fn();
    setBackend(
      fakeBackend({
        overrides: async () => ({ file: '/c/contoso/.connectorlab/overrides.json', operations: [{ operationId: 'ListOrders', choices: ['status:200', 'status:404'], rules: [], pathParams: [] }, { operationId: 'CreateOrder', choices: ['status:201'], rules: [], pathParams: [] }, { operationId: 'OnOrder', choices: [], rules: [], pathParams: [] }] }) as never,
        saveOverrides: async (_p: string, rows: OperationOverride[]) => {
          saved(rows);
          return { file: 'x', operations: rows } as never;
        },
      }),
    );
    render(<OperationsPanel c={sampleView} onError={(e) => { throw e; }} onNotify={() => undefined} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add a rule to ListOrders' }));
    const save = screen.getByRole('button', { name: /Save/ }) as HTMLButtonElement;
    expect(save.disabled).toBe(true); // the new condition names nothing yet
    fireEvent.change(screen.getByLabelText('Where condition 1 of rule 1 of ListOrders looks'), { target: { value: 'header' } });
    fireEvent.change(screen.getByLabelText('Key of condition 1 of rule 1 of ListOrders'), { target: { value: 'X-Tier' } });
    fireEvent.change(screen.getByLabelText('Value of condition 1 of rule 1 of ListOrders'), { target: { value: 'vip' } });
    fireEvent.change(screen.getByLabelText('Answer of rule 1 of ListOrders'), { target: { value: 'status:404' } });
    fireEvent.change(screen.getByLabelText('Latency of rule 1 of ListOrders'), { target: { value: '50' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add a rule to ListOrders' }));
    fireEvent.change(screen.getByLabelText('Key of condition 1 of rule 2 of ListOrders'), { target: { value: 'top' } });
    fireEvent.click(screen.getByLabelText('Move rule 2 of ListOrders up'));
    expect(save.disabled).toBe(false);
    fireEvent.click(save);
    await vi.waitFor(() => expect(saved).toHaveBeenCalled());
    const rules = (saved.mock.calls[0][0] as OperationOverride[]).find((r) => r.operationId === 'ListOrders')!.rules;
    expect(rules).toHaveLength(2);
    expect(rules[0].when).toEqual([{ in: 'query', key: 'top', value: '' }]);
    expect(rules[1]).toMatchObject({ when: [{ in: 'header', key: 'X-Tier', value: 'vip' }], response: 'status:404', latencyMs: 50 });
  });
  it('edits several answers: add, reorder, remove, a custom body, the order; keeps file headers; saves them', async () => {
    const saved = vi.fn();
    setBackend(
      fakeBackend({
        overrides: async () =>
          ({
            file: '/c/contoso/.connectorlab/overrides.json',
            operations: [
              { operationId: 'ListOrders', choices: ['status:200', 'status:404', 'example:two'], rules: [], pathParams: [], answers: [{ response: 'custom', status: 200, body: '{"value": []}', headers: { 'X-Page': '1' } }] },
              { operationId: 'CreateOrder', choices: ['status:201'], rules: [], pathParams: [], answers: [] },
              { operationId: 'OnOrder', choices: [], rules: [], pathParams: [], answers: [] },
            ],
          }) as never,
        saveOverrides: async (_p: string, rows: OperationOverride[]) => {
          saved(rows);
          return { file: 'x', operations: rows } as never;
        },
      }),
    );
    const notify = vi.fn();
    render(<OperationsPanel c={sampleView} onError={(e) => { throw e; }} onNotify={notify} />);
    // The file's sequence is shown, its extra header named, and the badge counts it.
    expect(await screen.findByText('1 answer in turn')).toBeTruthy();
    expect(screen.getByText(/X-Page/)).toBeTruthy();
    expect(screen.getByText(/replace this answer/)).toBeTruthy();
    const add = screen.getByRole('button', { name: 'Add an answer to ListOrders' });
    fireEvent.click(add);
    fireEvent.change(screen.getByLabelText('Answer of answer 2 of ListOrders'), { target: { value: 'status:404' } });
    fireEvent.click(add);
    fireEvent.change(screen.getByLabelText('Answer of answer 3 of ListOrders'), { target: { value: 'custom' } });
    // A broken custom body stops the save until it is JSON.
    await setEditor('Body of answer 3 of ListOrders', '{"id": ');
    const save = screen.getByRole('button', { name: /Save/ }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    await setEditor('Body of answer 3 of ListOrders', '{"id": "C"}');
    fireEvent.change(screen.getByLabelText('Status of answer 3 of ListOrders'), { target: { value: '202' } });
    expect(screen.queryByLabelText('Latency of answer 1 of ListOrders')).toBeNull(); // the operation's latency applies
    // Reorder: #3 up to #2; remove the (now third) 404.
    fireEvent.click(screen.getByLabelText('Move answer 3 of ListOrders up'));
    expect((screen.getByLabelText('Move answer 1 of ListOrders up') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByLabelText('Remove answer 3 of ListOrders'));
    fireEvent.change(screen.getByLabelText('Order of the answers of ListOrders'), { target: { value: 'random' } });
    expect(screen.getByText('2 answers at random')).toBeTruthy();
    // A new sequence on another operation starts from its single answer.
    fireEvent.change(screen.getByLabelText('Answer of CreateOrder'), { target: { value: 'status:201' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add an answer to CreateOrder' }));
    expect((screen.getByLabelText('Answer of answer 1 of CreateOrder') as HTMLSelectElement).value).toBe('status:201');
    expect(save.disabled).toBe(false);
    fireEvent.click(save);
    await vi.waitFor(() => expect(saved).toHaveBeenCalled());
    const by = Object.fromEntries((saved.mock.calls[0][0] as OperationOverride[]).map((r) => [r.operationId, r]));
    expect(by.ListOrders.mode).toBe('random');
    expect(by.ListOrders.answers).toEqual([
      { response: 'custom', status: 200, body: '{"value": []}', headers: { 'X-Page': '1' } },
      { response: 'custom', status: 202, body: '{"id": "C"}' },
    ]);
    expect(by.CreateOrder).toMatchObject({ mode: 'sequential', answers: [{ response: 'status:201' }] });
    await vi.waitFor(() => expect(notify).toHaveBeenCalledWith(expect.stringContaining('Saved 2 overrides')));
  });
  it('explains why a body is not JSON', () => {
    expect(jsonProblem('')).toMatch(/empty/);
    expect(jsonProblem('{')).not.toBe('');
    expect(jsonProblem('[1]')).toBe('');
  });
});
