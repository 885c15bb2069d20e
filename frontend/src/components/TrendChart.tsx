import type { RunSummary } from '../api';

// TrendChart draws the pass rate of past runs, oldest left, as an SVG
// sparkline with a bar per run (red where cases failed).
export function TrendChart({ runs, width = 360, height = 70 }: { runs: RunSummary[]; width?: number; height?: number }) {
  const pts = runs.slice(0, 30).reverse();
  if (pts.length === 0) return <div className="muted small">No runs yet.</div>;
  const bw = Math.min(28, width / pts.length);
  const rate = (r: RunSummary) => (r.total ? r.passed / r.total : 0);
  const line = pts.map((r, i) => `${(i + 0.5) * bw},${height - 4 - rate(r) * (height - 8)}`).join(' ');
  return (
    <svg className="trend" width={width} height={height} role="img" aria-label={`Pass rate of the last ${pts.length} runs`}>
      {pts.map((r, i) => {
        const h = Math.max(2, rate(r) * (height - 8));
        return (
          <rect key={r.id} x={i * bw + 1} y={height - 4 - h} width={Math.max(1, bw - 2)} height={h} className={r.failed + r.errors > 0 ? 'bar-fail' : 'bar-pass'}>
            <title>{`run ${r.id}: ${r.passed}/${r.total} passed, ${r.failed} failed, ${r.errors} errors`}</title>
          </rect>
        );
      })}
      <polyline points={line} className="trend-line" fill="none" />
    </svg>
  );
}
