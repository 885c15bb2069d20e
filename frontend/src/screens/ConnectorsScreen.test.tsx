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
