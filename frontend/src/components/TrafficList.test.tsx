import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { TrafficList } from './TrafficList';
import { ExchangeDetail } from './ExchangeDetail';
import { liveTraffic, makeRows } from '../test/fixtures';
import { setBackend, type Backend, type ExchangeView, type TrafficRow } from '../api';
import { useTrafficWindow, WINDOW } from '../lib/useTrafficWindow';
import { ScreenActive } from '../lib/screenActive';

// happy-dom does no layout: give the scroll box the size a window would.
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 260 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 });
});

let prev: Backend | null = null;
afterEach(() => {
  // Unmount first: a list still mounted would ask the real backend.
  cleanup();
  if (prev) setBackend(prev);
  prev = null;
});

// live puts rows behind a fake Go traffic log and returns it.
function live(rows: TrafficRow[]) {
  const t = liveTraffic(rows);
  prev = setBackend(t.backend);
  return t;
}

function List({ spec = '*', onSelect = () => undefined, height, streams }: { spec?: string; onSelect?: (seq: number) => void; height?: number; streams?: Record<string, string> }) {
  const traffic = useTrafficWindow(spec, () => undefined);
  return <TrafficList traffic={traffic} selected={null} onSelect={onSelect} height={height} streams={streams} />;
}

const count = () => screen.getByTestId('traffic-count').textContent;
const options = () => within(screen.getByRole('listbox', { name: 'Exchanges' })).queryAllByRole('option');

describe('TrafficList', () => {
  it('renders only the rows in view for 10,000 exchanges and holds a window of them', async () => {
    const t = live(makeRows(10000));
    render(<List height={260} />);
    await vi.waitFor(() => expect(count()).toBe('10000 exchanges'));
    await vi.waitFor(() => expect(options().length).toBeGreaterThan(0));
    expect(options().length).toBeLessThan(60);
    // newest first
    expect(options()[0].getAttribute('data-seq')).toBe('10000');
    expect(Math.max(...t.calls.map((c) => c.count))).toBeLessThanOrEqual(WINDOW);
  });
  it('filters in Go and selects', async () => {
    const t = live(makeRows(50));
    const onSelect = vi.fn();
    render(<List onSelect={onSelect} />);
    await vi.waitFor(() => expect(count()).toBe('50 exchanges'));
    fireEvent.change(screen.getByLabelText('Filter traffic'), { target: { value: '4xx' } });
    await vi.waitFor(() => expect(count()).toBe('5 of 50'));
    expect(t.calls[t.calls.length - 1].filter).toEqual({ scope: '', status: '', operation: '', stream: '', text: '4xx' });
    fireEvent.click(options()[0]);
    expect(onSelect).toHaveBeenCalledWith(50);
  });
  it('filters by status class, operation and mock from the menus', async () => {
    live([...makeRows(20), ...makeRows(10, 'mock:/c/other#1').map((r) => ({ ...r, seq: r.seq + 100, operationId: 'ListOrders' }))]);
    render(<List streams={{ 'mock:/c/contoso': 'Contoso :4010', 'mock:/c/other#1': 'Other :4011' }} />);
    await vi.waitFor(() => expect(count()).toBe('30 exchanges'));
    // the operation menu lists what Go found in scope
    expect([...(screen.getByLabelText('Operation') as HTMLSelectElement).options].map((o) => o.value)).toEqual(['', 'GetOrder', 'ListOrders', '-']);
    fireEvent.change(screen.getByLabelText('Status class'), { target: { value: '4xx' } });
    await vi.waitFor(() => expect(count()).toBe('3 of 30'));
    fireEvent.change(screen.getByLabelText('Mock'), { target: { value: 'mock:/c/other#1' } });
    await vi.waitFor(() => expect(count()).toBe('1 of 30'));
    // two changes before a render both count (the second once overwrote
    // the first from the copy the render saw)
    fireEvent.change(screen.getByLabelText('Status class'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Mock'), { target: { value: 'mock:/c/contoso' } });
    await vi.waitFor(() => expect(count()).toBe('20 of 30'));
    fireEvent.change(screen.getByLabelText('Filter traffic'), { target: { value: 'no-such-exchange' } });
    await vi.waitFor(() => expect(count()).toBe('0 of 30'));
    expect(screen.getByText(/No exchange matches the filter/)).toBeTruthy();
    fireEvent.click(screen.getByText('Show all'));
    await vi.waitFor(() => expect(count()).toBe('30 exchanges'));
  });
  // Regression (issue 16): rows overlapped after new exchanges arrived;
  // each row is keyed by its exchange and placed at its own offset.
  it('places rows one under the other after a batch arrives', async () => {
    const t = live(makeRows(5));
    render(<List height={260} />);
    await vi.waitFor(() => expect(options()).toHaveLength(5));
    act(() => t.add(makeRows(8).slice(5)));
    await vi.waitFor(() => expect(options()).toHaveLength(8));
    const opts = options();
    const ys = opts.map((o) => Number(/translateY\((\d+)px\)/.exec(o.getAttribute('style') || '')?.[1]));
    expect(opts.map((o) => o.getAttribute('data-seq'))).toEqual(['8', '7', '6', '5', '4', '3', '2', '1']);
    expect(new Set(ys).size).toBe(8);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
  });
});

describe('ExchangeDetail', () => {
  it('renders a recorded <script> as text, never as markup', () => {
    const evil = '<script>window.__pwned = true</script><img src=x onerror="window.__pwned=true">';
    const x = {
      row: { seq: 1, stream: 's', source: 'proxy', at: 0, method: 'GET', path: '/x', status: 200, millis: 1, operationId: 'X' },
      url: 'http://127.0.0.1/x',
      request: { headers: [{ name: 'Authorization', value: '[redacted]', redacted: true }], kind: 'empty', body: '', size: 0 },
      response: { headers: [], kind: 'text', body: evil, size: evil.length },
      notes: [],
      redactions: [{ where: 'request.header', name: 'Authorization', hash: 'h' }],
    } as unknown as ExchangeView;
    const { container } = render(<ExchangeDetail x={x} />);
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('pre.body')?.textContent).toBe(evil);
    expect((window as any).__pwned).toBeUndefined();
    expect(screen.getAllByText('redacted').length).toBeGreaterThan(0);
  });
  it('indents JSON bodies and offers copy as curl and replay', () => {
    const x = {
      row: { seq: 1, stream: 's', source: 'mock', at: 0, method: 'POST', path: '/v1/orders', status: 201, millis: 1, operationId: 'CreateOrder' },
      url: 'http://127.0.0.1:4010/v1/orders',
      request: { headers: [{ name: 'Content-Type', value: 'application/json' }], kind: 'json', body: '{"a":1}', size: 7 },
      response: { headers: [], kind: 'json', body: '{"id":"o1"}', size: 11 },
      notes: [],
      redactions: [],
    } as unknown as ExchangeView;
    const copy = vi.fn();
    const replay = vi.fn();
    const { container } = render(<ExchangeDetail x={x} onCopyCurl={copy} onReplay={replay} />);
    expect(container.querySelectorAll('pre.body')[0].textContent).toBe('{\n  "a": 1\n}');
    fireEvent.click(screen.getByText('Copy as curl'));
    fireEvent.click(screen.getByText('Replay this'));
    expect(copy).toHaveBeenCalledWith(x);
    expect(replay).toHaveBeenCalledWith(x);
  });
});

describe('TrafficList on a hidden screen', () => {
  it('asks Go nothing while its screen is hidden and catches up when shown', async () => {
    const t = live(makeRows(5));
    const { rerender } = render(
      <ScreenActive.Provider value={false}>
        <List height={260} />
      </ScreenActive.Provider>,
    );
    t.add(makeRows(8).slice(5));
    await new Promise((r) => setTimeout(r, 20));
    expect(t.calls).toHaveLength(0);
    rerender(
      <ScreenActive.Provider value={true}>
        <List height={260} />
      </ScreenActive.Provider>,
    );
    await vi.waitFor(() => expect(count()).toBe('8 exchanges'));
    const n = t.calls.length;
    // Shown: batches are followed again.
    t.add(makeRows(9).slice(8));
    await vi.waitFor(() => expect(count()).toBe('9 exchanges'));
    expect(t.calls.length).toBeGreaterThan(n);
  });
});
