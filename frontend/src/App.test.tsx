import { describe, expect, it } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import App from './App';
import { Events, setBackend, type Backend, type EventName } from './api';
import { fakeBackend, sampleView } from './test/fixtures';

// A fake backend whose events the test can send.
function withEvents(over: Partial<Backend> = {}) {
  const subs = new Map<string, Set<(d: unknown) => void>>();
  const b = fakeBackend({
    ...over,
    on: ((event: EventName, fn: (d: unknown) => void) => {
      if (!subs.has(event)) subs.set(event, new Set());
      subs.get(event)!.add(fn);
      return () => subs.get(event)!.delete(fn);
    }) as Backend['on'],
  });
  const emit = (event: EventName, data: unknown) => act(() => subs.get(event)?.forEach((f) => f(data)));
  return { b, emit };
}

async function openSample() {
  fireEvent.change(screen.getByLabelText('Connector path'), { target: { value: sampleView.path } });
  fireEvent.submit(screen.getByLabelText('Connector path').closest('form')!);
  await screen.findByTestId('connector-detail');
}

const host = (id: string) => document.querySelector(`[data-host="${id}"]`) as HTMLElement;

describe('App', () => {
  // Regression (issue 16): switching screens unmounted them, so a running
  // contract test lost its progress view.
  it('keeps a running contract test and its progress when switching screens', async () => {
    const { b, emit } = withEvents({
      contractRun: async () => ({ key: 'run-9', running: true, total: 10, done: 0, counts: {}, operations: [], findings: [] }) as never,
      contractResult: async () => ({ key: 'run-9', running: true, total: 10, done: 3 }) as never,
      mockList: async () => [{ path: sampleView.path, url: 'http://127.0.0.1:4010/v1', running: true }] as never,
    });
    setBackend(b);
    render(<App />);
    await openSample();
    fireEvent.click(screen.getByRole('button', { name: /Contract tests/ }));
    const contract = host('contract');
    await waitFor(() => expect((within(contract).getByLabelText('Target URL') as HTMLInputElement).value).not.toBe(''));
    fireEvent.click(within(contract).getByRole('button', { name: /Run contract test/ }));
    await within(contract).findByRole('progressbar');
    emit(Events.ContractProgress, { key: 'run-9', done: 7, total: 10 });
    expect(within(contract).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('70');
    fireEvent.click(screen.getByRole('button', { name: /^Diff/ }));
    expect(contract.hidden).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: /Contract tests/ }));
    expect(contract.hidden).toBe(false);
    expect(within(contract).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('70');
    expect(within(contract).getByText(/7 \/ 10 cases/)).toBeTruthy();
  });

  it('switches screens with Ctrl+number and focuses the search with Ctrl+K', async () => {
    setBackend(withEvents().b);
    render(<App />);
    await openSample();
    fireEvent.keyDown(window, { key: '3', ctrlKey: true });
    expect(host('traffic').hidden).toBe(false);
    expect(host('connectors').hidden).toBe(true);
    fireEvent.keyDown(window, { key: '2', ctrlKey: true });
    expect(host('mock').hidden).toBe(false);
    fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Filter traffic');
    expect(host('mock').contains(document.activeElement)).toBe(true);
    fireEvent.keyDown(document.body, { key: '?' });
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeTruthy();
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('starts the mock with Ctrl+Enter and lists it in the sidebar, several at once', async () => {
    const { b, emit } = withEvents({
      mockStart: async (cfg) => {
        const st = { id: 'm1', path: cfg.path, name: 'Contoso Orders', running: true, url: 'http://127.0.0.1:4010/v1', port: 4010, stream: `mock:${cfg.path}`, config: cfg };
        emit(Events.MockState, st);
        return st as never;
      },
    });
    setBackend(b);
    render(<App />);
    await openSample();
    fireEvent.keyDown(window, { key: '2', ctrlKey: true });
    await act(async () => {
      fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true });
    });
    await within(host('mock')).findByTestId('mock-url');
    emit(Events.MockState, { id: 'm2', path: '/c/other', name: 'Other API', running: true, port: 4011, stream: 'mock:/c/other#1', config: {} });
    const side = screen.getByTestId('mocks-sidebar');
    expect([...side.querySelectorAll('[data-mock]')].map((e) => [e.getAttribute('data-mock'), e.getAttribute('data-state')])).toEqual([
      ['m1', 'running'],
      ['m2', 'running'],
    ]);
    emit(Events.MockState, { id: 'm2', path: '/c/other', name: 'Other API', running: false, port: 4011, stream: 'mock:/c/other#1' });
    expect(side.querySelector('[data-mock="m2"]')?.getAttribute('data-state')).toBe('stopped');
    expect(within(side).getByRole('button', { name: 'Start Other API on port 4011' })).toBeTruthy();
  });

  it('shows a failed call as a toast with its fix', async () => {
    setBackend(withEvents({ openConnector: async () => Promise.reject({ message: '/nope does not exist', fix: 'check the path' }) }).b);
    render(<App />);
    fireEvent.change(screen.getByLabelText('Connector path'), { target: { value: '/nope' } });
    fireEvent.submit(screen.getByLabelText('Connector path').closest('form')!);
    const t = await screen.findByRole('alert');
    expect(t.textContent).toContain('/nope does not exist');
    expect(t.textContent).toContain('Fix: check the path');
    fireEvent.click(within(t).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
