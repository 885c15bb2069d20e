import { useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TrafficRow } from '../api';
import { clock, filterRows, statusClass } from '../lib/traffic';

const ROW_HEIGHT = 26;

// TrafficList is the live list of exchanges. Only the rows in view are in
// the DOM, so 10,000 (or 50,000) entries scroll as smoothly as 10.
export function TrafficList({
  rows,
  selected,
  onSelect,
  onClear,
  height = 260,
}: {
  rows: TrafficRow[];
  selected: number | null;
  onSelect: (seq: number) => void;
  onClear?: () => void;
  height?: number;
}) {
  const [q, setQ] = useState('');
  const shown = useMemo(() => {
    const f = filterRows(rows, q);
    return f.slice().reverse(); // newest first
  }, [rows, q]);
  const parent = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({
    count: shown.length,
    getScrollElement: () => parent.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 800, height },
  });
  return (
    <div className="traffic" data-testid="traffic">
      <div className="row traffic-bar">
        <strong>Traffic</strong>
        <span className="muted small" data-testid="traffic-count">
          {shown.length === rows.length ? `${rows.length} exchanges` : `${shown.length} of ${rows.length}`}
        </span>
        <input
          className="grow"
          aria-label="Filter traffic"
          placeholder="Filter: path, operation, status, 4xx, 5xx, ! for problems"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        {onClear && (
          <button className="small" onClick={onClear} disabled={rows.length === 0}>
            Clear
          </button>
        )}
      </div>
      <div className="traffic-head traffic-row mono small">
        <span>time</span>
        <span>method</span>
        <span>path</span>
        <span>operation</span>
        <span>status</span>
        <span>ms</span>
        <span>notes</span>
      </div>
      <div ref={parent} className="traffic-scroll" style={{ height }} role="listbox" aria-label="Exchanges">
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((it) => {
            const r = shown[it.index];
            return (
              <div
                key={r.seq}
                role="option"
                aria-selected={selected === r.seq}
                data-seq={r.seq}
                className={'traffic-row mono small' + (selected === r.seq ? ' selected' : '')}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${it.start}px)` }}
                onClick={() => onSelect(r.seq)}
              >
                <span className="muted">{clock(r.at)}</span>
                <span>{r.method}</span>
                <span className="ellipsis" title={r.path}>
                  {r.path}
                </span>
                <span className="ellipsis">{r.operationId || <span className="muted">no match</span>}</span>
                <span className={statusClass(r)}>{r.status || 'ERR'}</span>
                <span>{r.millis}</span>
                <span className="ellipsis">
                  {r.notes ? <span className={`badge ${r.noteLevel || 'info'}`} title="notes: validation results, faults, policies">{r.notes} {r.notes === 1 ? 'note' : 'notes'}</span> : ''}
                  {r.redactions ? <span className="badge redacted">{r.redactions} redacted</span> : ''}
                  {r.source !== 'mock' && <span className="badge info">{r.source}</span>}
                </span>
              </div>
            );
          })}
        </div>
        {rows.length === 0 && <div className="muted small empty-list">No traffic yet. Send a request with Try it, or point a client at the mock URL.</div>}
      </div>
    </div>
  );
}
