import type { RunSummary } from '../api';

export const trendSlots = 20;

// TrendChart draws the pass rate of the last runs, oldest left, newest at
// the right edge: a bar per run (red where cases failed) in fixed slots, so
// one run is one thin bar among empty slots, not a block filling the chart
// (issue 16), with a 0/50/100% scale and the pass-rate line.
export function TrendChart({ runs, width = 420, height = 96 }: { runs: RunSummary[]; width?: number; height?: number }) {
  const pts = runs.slice(0, trendSlots).reverse();
  if (pts.length === 0) return <div className="muted small trend-empty">No runs yet. Run a contract test: each run adds a bar here.</div>;
  const axis = 38; // room for the "100%" label
  const top = 6;
  const bottom = 16;
  const plotH = height - top - bottom;
  const slot = (width - axis) / trendSlots;
  const first = trendSlots - pts.length; // slots left of the oldest run stay empty
  const rate = (r: RunSummary) => (r.total ? r.passed / r.total : 0);
  const x = (i: number) => axis + (first + i) * slot;
  const y = (v: number) => top + (1 - v) * plotH;
  const line = pts.map((r, i) => `${x(i) + slot / 2},${y(rate(r))}`).join(' ');
  return (
    <svg className="trend" width={width} height={height} role="img" aria-label={`Pass rate of the last ${pts.length} runs`}>
      {[0, 0.5, 1].map((v) => (
        <g key={v}>
          <line x1={axis} x2={width} y1={y(v)} y2={y(v)} className="trend-grid" />
          <text x={axis - 4} y={y(v) + 3} className="trend-label" textAnchor="end">
            {v * 100}%
          </text>
        </g>
      ))}
      {Array.from({ length: first }, (_, i) => (
        <rect key={`e${i}`} x={axis + i * slot + 2} y={y(0) - 2} width={Math.max(1, slot - 4)} height={2} className="bar-empty" />
      ))}
      {pts.map((r, i) => {
        const h = Math.max(2, rate(r) * plotH);
        return (
          <rect key={r.id} x={x(i) + 2} y={y(0) - h} width={Math.max(1, slot - 4)} height={h} className={r.failed + r.errors > 0 ? 'bar-fail' : 'bar-pass'}>
            <title>{`run ${r.id}: ${r.passed}/${r.total} passed, ${r.failed} failed, ${r.errors} errors`}</title>
          </rect>
        );
      })}
      {pts.length > 1 && <polyline points={line} className="trend-line" fill="none" />}
      <text x={axis} y={height - 3} className="trend-label">
        {pts.length === 1 ? '1 run' : `${pts.length} runs`}, newest right
      </text>
    </svg>
  );
}
