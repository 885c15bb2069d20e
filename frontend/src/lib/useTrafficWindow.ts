import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import { ScreenActive } from './screenActive';
import { backend, Events, type TrafficPage, type TrafficRow } from '../api';
import { inScope, noFilter, type BarFilter } from './traffic';

// allTraffic follows every stream; mockTraffic(path) every mock of one
// connector. Any other string is one stream; '' none (nothing to show yet).
export const allTraffic = '*';
export const mockTraffic = (path: string) => `mock:${path}#*`;

// scopeOf is the Go scope (workflow/traffic Filter.Scope) of a spec.
export const scopeOf = (spec: string) => (spec === allTraffic ? '' : spec);

// WINDOW is how many rows the window keeps around what the list shows:
// a screenful is 13 (Mock screen) to 35 rows (Traffic screen, 1080 px) plus
// 12 of overscan either side, so scrolling a screen or two needs no round
// trip, and 10,000 (or 50,000) exchanges cost the webview 150 rows, re-read
// at most ten times a second while traffic flows.
export const WINDOW = 150;
const AHEAD = 50;

const emptyPage: TrafficPage = { from: 0, rows: [], matching: 0, total: 0, operations: [], streams: [], latest: 0 };

// TrafficWindow is what a traffic list shows: the counts, the filter
// menus' values and the rows around the visible range, paged from Go.
export interface TrafficWindow {
  spec: string;
  filter: BarFilter;
  // setFilter merges a change onto the current filter (not the copy a
  // render saw), so two changes before the next render both count.
  setFilter: (change: Partial<BarFilter>) => void;
  // matching rows (the list's length) and rows in scope.
  matching: number;
  total: number;
  operations: string[];
  streams: string[];
  // rowAt is the row at index i (newest first), undefined while not loaded.
  rowAt: (i: number) => TrafficRow | undefined;
  // show tells the window which indices are on screen: it asks Go for
  // them when they are outside the rows it holds.
  show: (start: number, end: number) => void;
  clear: () => Promise<void>;
}

// covers says whether page holds rows start..end-1 (or all there are).
function covers(p: TrafficPage, start: number, end: number): boolean {
  const last = Math.min(end, p.matching);
  return start >= p.from && last <= p.from + p.rows.length;
}

// useTrafficWindow follows one list (see allTraffic, mockTraffic): it
// keeps WINDOW rows around the visible range and asks Go again when the
// list scrolls past them, when its filter changes and when a batch event
// names a stream of its scope. Filtering happens in Go. On a hidden screen
// (ScreenActive false) it asks nothing and catches up when shown: ten pages
// a second of a list nobody sees were most of the webview's churn under load.
export function useTrafficWindow(spec: string, onError: (e: unknown) => void): TrafficWindow {
  const active = useContext(ScreenActive);
  const activeRef = useRef(active);
  activeRef.current = active;
  // stale: something changed while hidden; load when shown.
  const stale = useRef(false);
  const [filter, setFilterState] = useState<BarFilter>(noFilter);
  const [page, setPage] = useState<TrafficPage>(emptyPage);
  const range = useRef({ start: 0, end: 0 });
  const pageRef = useRef(page);
  const filterRef = useRef(filter);
  // One request at a time; a change meanwhile asks again when it returns,
  // so answers never arrive out of order and bursts of batches coalesce.
  const busy = useRef(false);
  const again = useRef(false);
  const specRef = useRef(spec);

  const load = useCallback(() => {
    const s = specRef.current;
    if (!s) return;
    if (!activeRef.current) {
      stale.current = true;
      return;
    }
    if (busy.current) {
      again.current = true;
      return;
    }
    busy.current = true;
    const { start } = range.current;
    const from = Math.max(0, start - AHEAD);
    backend()
      .trafficRows({ scope: scopeOf(s), ...filterRef.current }, from, WINDOW)
      .then((p) => {
        if (specRef.current !== s) return;
        pageRef.current = p;
        setPage(p);
      })
      .catch(onError)
      .finally(() => {
        busy.current = false;
        if (again.current) {
          again.current = false;
          load();
        }
      });
  }, [onError]);

  useEffect(() => {
    specRef.current = spec;
    pageRef.current = emptyPage;
    setPage(emptyPage);
    if (!spec) return;
    const scope = scopeOf(spec);
    load();
    const off = backend().on(Events.TrafficBatch, (b) => {
      if (b.streams.some((s) => inScope(scope, s))) load();
    });
    const offClear = backend().on(Events.TrafficCleared, () => load());
    return () => {
      off();
      offClear();
    };
  }, [spec, load]);

  useEffect(() => {
    if (active && stale.current) {
      stale.current = false;
      load();
    }
  }, [active, load]);

  const setFilter = useCallback(
    (change: Partial<BarFilter>) => {
      const f = { ...filterRef.current, ...change };
      filterRef.current = f;
      setFilterState(f);
      load();
    },
    [load],
  );
  const show = useCallback(
    (start: number, end: number) => {
      range.current = { start, end };
      if (!covers(pageRef.current, start, end)) load();
    },
    [load],
  );
  const rowAt = useCallback((i: number) => page.rows[i - page.from], [page]);
  const clear = useCallback(async () => {
    if (spec) await backend().trafficClear(scopeOf(spec)).catch(onError);
  }, [spec, onError]);
  return { spec, filter, setFilter, matching: page.matching, total: page.total, operations: page.operations, streams: page.streams, rowAt, show, clear };
}
