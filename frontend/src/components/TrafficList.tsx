import { useEffect, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Search, Trash, Inbox } from 'lucide-react';
import { clock, noFilter, statusClass } from '../lib/traffic';
import type { TrafficWindow } from '../lib/useTrafficWindow';

export const ROW_HEIGHT = 28;

// TrafficList is the live list of exchanges with its filter bar (status
// class, operation, mock or session, text). Only the rows in view are in
// the DOM, and only a window of 150 rows around them is in memory (paged
// from Go by useTrafficWindow, which filters there too), so 10,000 (or
// 50,000) entries scroll as smoothly as 10 and cost the webview as little.
export function TrafficList({
  traffic,
  selected,
  onSelect,
  onClear,
  height,
  streams,
  empty,
}: {
  traffic: TrafficWindow;
  selected: number | null;
  onSelect: (seq: number) => void;
  onClear?: () => void;
  // height of the scroll box; without it the list fills its container.
  height?: number;
  // streams names the streams the list may filter by (stream → label);
  // with fewer than two the filter is not shown.
  streams?: Record<string, string>;
  // empty says what to do when there is no traffic yet.
  empty?: string;
}) {
  const { filter: f, setFilter: setF, rowAt, matching, total, operations: ops, show } = traffic;
  const streamKeys = useMemo(() => (streams ? Object.keys(streams) : []), [streams]);
  const parent = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({
    count: matching,
    getScrollElement: () => parent.current,
    estimateSize: () => ROW_HEIGHT,
    // Rows not loaded yet are keyed by index; loaded ones by exchange.
    getItemKey: (i) => rowAt(i)?.seq ?? `i${i}`,
    overscan: 12,
    initialRect: { width: 800, height: height ?? 400 },
  });
  const items = v.getVirtualItems();
  const first = items.length ? items[0].index : 0;
  const end = items.length ? items[items.length - 1].index + 1 : 0;
  useEffect(() => show(first, end), [show, first, end]);
  const filtered = f.status !== '' || f.operation !== '' || f.stream !== '' || f.text.trim() !== '';
  return (
    <div className={'traffic' + (height ? '' : ' fill')} data-testid="traffic">
      <div className="traffic-bar">
        <strong>Traffic</strong>
        <span className="muted small" data-testid="traffic-count">
          {matching === total ? `${total} exchanges` : `${matching} of ${total}`}
        </span>
        <label className="search grow">
          <Search size={14} aria-hidden />
          <input
            aria-label="Filter traffic"
            data-search
            placeholder="Filter: path, operation, status, 4xx, ! for problems"
            value={f.text}
            onChange={(e) => setF({ text: e.target.value })}
          />
        </label>
        <select aria-label="Status class" value={f.status} onChange={(e) => setF({ status: e.target.value })}>
          <option value="">any status</option>
          <option value="2xx">2xx</option>
          <option value="3xx">3xx</option>
          <option value="4xx">4xx</option>
          <option value="5xx">5xx</option>
          <option value="problems">problems</option>
        </select>
        <select aria-label="Operation" value={f.operation} onChange={(e) => setF({ operation: e.target.value })}>
          <option value="">any operation</option>
          {ops.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
          <option value="-">no operation matched</option>
        </select>
        {streamKeys.length > 1 && (
          <select aria-label="Mock" value={f.stream} onChange={(e) => setF({ stream: e.target.value })}>
            <option value="">every mock and session</option>
            {streamKeys.map((s) => (
              <option key={s} value={s}>
                {streams![s]}
              </option>
            ))}
          </select>
        )}
        {filtered && (
          <button className="small" onClick={() => setF(noFilter)}>
            Show all
          </button>
        )}
        {onClear && (
          <button className="small icon-text" onClick={onClear} disabled={total === 0} title="Drop these exchanges from the live list">
            <Trash size={14} aria-hidden /> Clear
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
      <div ref={parent} className="traffic-scroll" style={height ? { height } : undefined} role="listbox" aria-label="Exchanges">
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {items.map((it) => {
            const r = rowAt(it.index);
            if (!r) return <div key={it.key} className="traffic-row mono small pending" style={{ height: ROW_HEIGHT, transform: `translateY(${it.start}px)` }} aria-hidden />;
            return (
              <div
                key={it.key}
                role="option"
                aria-selected={selected === r.seq}
                data-seq={r.seq}
                className={'traffic-row mono small' + (selected === r.seq ? ' selected' : '')}
                style={{ height: ROW_HEIGHT, transform: `translateY(${it.start}px)` }}
                onClick={() => onSelect(r.seq)}
              >
                <span className="muted" data-volatile>
                  {clock(r.at)}
                </span>
                <span>{r.method}</span>
                <span className="ellipsis" title={r.path}>
                  {r.path}
                </span>
                <span className="ellipsis">{r.operationId || <span className="muted">no match</span>}</span>
                <span className={statusClass(r)}>{r.status || 'ERR'}</span>
                <span data-volatile>{r.millis}</span>
                <span className="ellipsis">
                  {r.notes ? (
                    <span className={`badge ${r.noteLevel || 'info'}`} title="notes: validation results, faults, policies">
                      {r.notes} {r.notes === 1 ? 'note' : 'notes'}
                    </span>
                  ) : (
                    ''
                  )}
                  {r.redactions ? <span className="badge redacted">{r.redactions} redacted</span> : ''}
                  {r.source !== 'mock' && <span className="badge info">{r.source}</span>}
                </span>
              </div>
            );
          })}
        </div>
        {total === 0 && (
          <div className="empty-state small">
            <Inbox size={20} aria-hidden />
            <span>{empty ?? 'No traffic yet. Send a request with Try it, or point a client at the mock URL.'}</span>
          </div>
        )}
        {total > 0 && matching === 0 && <div className="empty-state small">No exchange matches the filter. Press “Show all”.</div>}
      </div>
    </div>
  );
}
