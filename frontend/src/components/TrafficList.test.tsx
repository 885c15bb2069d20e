import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
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
    const options = screen.getAllByRole('option');
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
    fireEvent.click(screen.getAllByRole('option')[0]);
    expect(onSelect).toHaveBeenCalledWith(50);
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
});
