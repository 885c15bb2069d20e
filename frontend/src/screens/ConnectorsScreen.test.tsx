import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ConnectorDetail, ConnectorsScreen } from './ConnectorsScreen';
import { setBackend } from '../api';
import { fakeBackend, sampleView } from '../test/fixtures';

describe('ConnectorDetail', () => {
  it('groups operations and shows visibility, trigger and dynamic refs', () => {
    render(<ConnectorDetail c={sampleView} />);
    expect(screen.getByText('Actions')).toBeTruthy();
    expect(screen.getByText('Triggers')).toBeTruthy();
    expect(screen.getByText('important')).toBeTruthy();
    expect(screen.getByText(/webhook trigger/)).toBeTruthy();
    expect(screen.getByText(/query:customerId ← dynamic values from ListCustomers/)).toBeTruthy();
  });
  it('flags custom code', () => {
    render(<ConnectorDetail c={{ ...sampleView, customCode: { file: 'script.csx', size: 120 } } as any} />);
    expect(screen.getByText('custom code').getAttribute('title')).toBe('script.csx (120 bytes)');
    fireEvent.click(screen.getByRole('tab', { name: /Auth/ }));
    expect(screen.getByText(/does not run here/)).toBeTruthy();
  });
  it('lists findings with location and fix', () => {
    render(<ConnectorDetail c={sampleView} />);
    fireEvent.click(screen.getByRole('tab', { name: /Validation/ }));
    expect(screen.getByText('apiDefinition.swagger.json:10:5')).toBeTruthy();
    expect(screen.getByText('Fix: add a summary')).toBeTruthy();
  });
  it('shows auth and policies', () => {
    render(<ConnectorDetail c={sampleView} />);
    fireEvent.click(screen.getByRole('tab', { name: /Auth/ }));
    expect(screen.getByText('X-API-Key')).toBeTruthy();
    expect(screen.getByText('setHeader')).toBeTruthy();
  });
});

describe('ConnectorsScreen', () => {
  it('opens the typed path and lists recent connectors', async () => {
    setBackend(fakeBackend({ recent: async () => [{ path: '/c/contoso', name: 'Contoso Orders', openedAt: 1 }] as any }));
    const onOpen = vi.fn(async () => sampleView);
    render(<ConnectorsScreen current={null} onOpen={onOpen} onError={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Connector path'), { target: { value: '/c/contoso' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    await waitFor(() => expect(onOpen).toHaveBeenCalledWith('/c/contoso'));
    await screen.findByRole('button', { name: 'Contoso Orders' });
  });
});

describe('Connectors screen editing', () => {
  it('edits an operation with a live Power Automate preview and saves, then reopens the connector', async () => {
    const edit = vi.fn(async () => sampleView);
    setBackend(fakeBackend({ editOperation: edit }));
    const onOpen = vi.fn(async () => sampleView);
    render(<ConnectorDetail c={sampleView} onOpen={onOpen} onError={() => undefined} />);
    fireEvent.click(screen.getByText('Create an order'));
    const summary = (await screen.findByLabelText('Operation summary')) as HTMLInputElement;
    expect(summary.value).toBe('Create an order');
    fireEvent.change(summary, { target: { value: 'Place an order' } });
    expect(screen.getByTestId('preview-name').textContent).toBe('Place an order');
    fireEvent.change(screen.getByLabelText('Operation description'), { target: { value: 'Places a new order for a customer.' } });
    expect(screen.getByTestId('preview-description').textContent).toBe('Places a new order for a customer.');
    fireEvent.change(screen.getByLabelText('Operation visibility'), { target: { value: 'advanced' } });
    expect(screen.getByTestId('preview-placement').textContent).toMatch(/See more/);
    fireEvent.change(screen.getByLabelText('Operation visibility'), { target: { value: 'internal' } });
    expect(screen.queryByTestId('preview-description')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /Save to apiDefinition/ }));
    await waitFor(() => expect(onOpen).toHaveBeenCalledWith('/c/contoso'));
    expect(edit).toHaveBeenCalledWith('/c/contoso', { operationId: 'CreateOrder', summary: 'Place an order', description: 'Places a new order for a customer.', visibility: 'internal' });
  });

  it('refuses an empty summary before calling Go', () => {
    setBackend(fakeBackend());
    render(<ConnectorDetail c={sampleView} onOpen={async () => sampleView} onError={() => undefined} />);
    fireEvent.click(screen.getByText('List orders'));
    fireEvent.change(screen.getByLabelText('Operation summary'), { target: { value: '  ' } });
    expect(screen.getByText(/cannot be empty/)).toBeTruthy();
    expect((screen.getByRole('button', { name: /Save to apiDefinition/ }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('exports as Mockoon and lists what Mockoon cannot hold', async () => {
    const exp = vi.fn(async (_p: string, out: string) => ({ file: out, routes: 12, findings: [{ id: 'export-mockoon-auth', level: 'info', location: 'apiDefinition.swagger.json #/securityDefinitions', message: 'not checked' }] }));
    setBackend(fakeBackend({ exportMockoon: exp }));
    render(<ConnectorDetail c={sampleView} onOpen={async () => sampleView} onError={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: /Export as Mockoon/ }));
    fireEvent.change(screen.getByLabelText('Mockoon file'), { target: { value: '/tmp/c.mockoon.json' } });
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    await screen.findByTestId('mockoon-export-result');
    expect(exp).toHaveBeenCalledWith('/c/contoso', '/tmp/c.mockoon.json');
    expect(screen.getByText('export-mockoon-auth')).toBeTruthy();
    expect(screen.getByText(/Wrote 12 routes/)).toBeTruthy();
  });

  it('opens the New connector flow from the Connectors screen', async () => {
    setBackend(fakeBackend());
    render(<ConnectorsScreen current={null} onOpen={async () => sampleView} onError={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: /New connector…/ }));
    expect(await screen.findByTestId('new-connector')).toBeTruthy();
  });
});
