import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { TrafficList } from './TrafficList';
import { ExchangeDetail } from './ExchangeDetail';
import { makeRows } from '../test/fixtures';
import type { ExchangeView } from '../api';

// happy-dom does no layout: give the scroll box the size a window would.
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 260 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 });
});

describe('TrafficList', () => {
  it('renders only the rows in view for 10,000 exchanges', () => {
    const t0 = performance.now();
    render(<TrafficList rows={makeRows(10000)} selected={null} onSelect={() => undefined} height={260} />);
    const ms = performance.now() - t0;
    const options = within(screen.getByRole('listbox', { name: 'Exchanges' })).getAllByRole('option');
    expect(options.length).toBeGreaterThan(0);
    expect(options.length).toBeLessThan(60);
    expect(screen.getByTestId('traffic-count').textContent).toBe('10000 exchanges');
    // newest first
    expect(options[0].getAttribute('data-seq')).toBe('10000');
    expect(ms).toBeLessThan(2000); // a smoke bound; the e2e run measures the real browser
  });
  it('filters and selects', () => {
    const onSelect = vi.fn();
    render(<TrafficList rows={makeRows(50)} selected={null} onSelect={onSelect} />);
    fireEvent.change(screen.getByLabelText('Filter traffic'), { target: { value: '4xx' } });
    expect(screen.getByTestId('traffic-count').textContent).toBe('5 of 50');
    fireEvent.click(within(screen.getByRole('listbox', { name: 'Exchanges' })).getAllByRole('option')[0]);
    expect(onSelect).toHaveBeenCalledWith(50);
  });
  it('filters by status class, operation and mock from the menus', () => {
    const rows = [...makeRows(20), ...makeRows(10, 'mock:/c/other#1').map((r) => ({ ...r, seq: r.seq + 100, operationId: 'ListOrders' }))];
    render(<TrafficList rows={rows} selected={null} onSelect={() => undefined} streams={{ 'mock:/c/contoso': 'Contoso :4010', 'mock:/c/other#1': 'Other :4011' }} />);
    const count = () => screen.getByTestId('traffic-count').textContent;
    fireEvent.change(screen.getByLabelText('Status class'), { target: { value: '4xx' } });
    expect(count()).toBe('3 of 30');
    fireEvent.change(screen.getByLabelText('Mock'), { target: { value: 'mock:/c/other#1' } });
    expect(count()).toBe('1 of 30');
    fireEvent.change(screen.getByLabelText('Status class'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Operation'), { target: { value: 'GetOrder' } });
    expect(count()).toBe('0 of 30');
    expect(screen.getByText(/No exchange matches the filter/)).toBeTruthy();
    fireEvent.click(screen.getByText('Show all'));
    expect(count()).toBe('30 exchanges');
  });
  // Regression (issue 16): rows overlapped after new exchanges arrived;
  // each row is keyed by its exchange and placed at its own offset.
  it('places rows one under the other after a batch arrives', () => {
    const { rerender } = render(<TrafficList rows={makeRows(5)} selected={null} onSelect={() => undefined} height={260} />);
    rerender(<TrafficList rows={makeRows(8)} selected={null} onSelect={() => undefined} height={260} />);
    const opts = within(screen.getByRole('listbox', { name: 'Exchanges' })).getAllByRole('option');
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
