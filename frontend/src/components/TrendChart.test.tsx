import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import { TrendChart, trendSlots } from './TrendChart';
import type { RunSummary } from '../api';

const run = (id: number, passed: number, total = 4) => ({ id, connector: 'c', started: id, status: passed === total ? 'passed' : 'failed', total, passed, failed: total - passed, errors: 0, warnings: 0, skipped: 0 }) as unknown as RunSummary;

describe('TrendChart', () => {
  // Regression (issue 16): one run filled the chart as a single block.
  it('draws one run as one slot-wide bar beside empty slots', () => {
    const { container } = render(<TrendChart runs={[run(1, 4)]} width={420} />);
    const bars = container.querySelectorAll('rect.bar-pass, rect.bar-fail');
    expect(bars).toHaveLength(1);
    expect(Number(bars[0].getAttribute('width'))).toBeLessThan(420 / 10);
    expect(container.querySelectorAll('rect.bar-empty')).toHaveLength(trendSlots - 1);
  });
  it('puts the newest run at the right and colours failures', () => {
    const { container } = render(<TrendChart runs={[run(3, 1), run(2, 4), run(1, 4)]} />);
    const bars = [...container.querySelectorAll('rect.bar-pass, rect.bar-fail')];
    expect(bars.map((b) => b.getAttribute('class'))).toEqual(['bar-pass', 'bar-pass', 'bar-fail']);
    const xs = bars.map((b) => Number(b.getAttribute('x')));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(container.querySelector('polyline')).not.toBeNull();
  });
});
