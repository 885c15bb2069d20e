import { useCallback, useEffect, useState } from 'react';
import { backend, Events, type TrafficRow } from '../api';
import { anyStream, appendBatch, mockStreams, type StreamMatch } from './traffic';

// allTraffic follows every stream; mockTraffic(path) every mock of one
// connector. Any other string is one stream.
export const allTraffic = '*';
export const mockTraffic = (path: string) => `mock:${path}#*`;

function parse(spec: string): { match: StreamMatch; load: string } {
  if (spec === allTraffic) return { match: anyStream, load: '' };
  if (spec.startsWith('mock:') && spec.endsWith('#*')) return { match: mockStreams(spec.slice(5, -2)), load: '' };
  return { match: spec, load: spec };
}

// useTraffic follows one stream (or a family of them, see above): the rows
// Go keeps, then every batch event.
export function useTraffic(spec: string, onError: (e: unknown) => void) {
  const [rows, setRows] = useState<TrafficRow[]>([]);
  useEffect(() => {
    if (!spec) return;
    const { match, load } = parse(spec);
    let live = true;
    const pending: TrafficRow[][] = [];
    let loaded = false;
    const off = backend().on(Events.TrafficBatch, (batch) => {
      if (!loaded) pending.push(batch);
      else setRows((r) => appendBatch(r, batch, match));
    });
    const offClear = backend().on(Events.TrafficCleared, (s) => {
      if (s === '' || spec === allTraffic) setRows((r) => (s === '' ? [] : r.filter((x) => x.stream !== s)));
      else if (typeof match === 'string' ? s === match : match(s)) setRows((r) => r.filter((x) => x.stream !== s));
    });
    backend()
      .trafficRows(load)
      .then((initial) => {
        if (!live) return;
        const mine = load ? initial : appendBatch([], initial, match);
        const last = mine.length ? mine[mine.length - 1].seq : 0;
        let r = mine;
        for (const b of pending) r = appendBatch(r, b.filter((x) => x.seq > last), match);
        loaded = true;
        setRows(r);
      })
      .catch(onError);
    return () => {
      live = false;
      off();
      offClear();
    };
  }, [spec, onError]);
  // clear drops the rows of every stream shown.
  const clear = useCallback(async () => {
    const { load } = parse(spec);
    if (load || spec === allTraffic) return backend().trafficClear(load).catch(onError);
    const streams = new Set(rows.map((r) => r.stream));
    for (const s of streams) await backend().trafficClear(s).catch(onError);
  }, [spec, rows, onError]);
  return { rows, clear };
}
