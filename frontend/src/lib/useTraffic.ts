import { useCallback, useEffect, useState } from 'react';
import { backend, Events, type TrafficRow } from '../api';
import { appendBatch } from './traffic';

// useTraffic follows one stream: the rows Go keeps, then every batch event.
export function useTraffic(stream: string, onError: (e: unknown) => void) {
  const [rows, setRows] = useState<TrafficRow[]>([]);
  useEffect(() => {
    if (!stream) return;
    let live = true;
    const pending: TrafficRow[][] = [];
    let loaded = false;
    const off = backend().on(Events.TrafficBatch, (batch: TrafficRow[]) => {
      if (!loaded) pending.push(batch);
      else setRows((r) => appendBatch(r, batch, stream));
    });
    const offClear = backend().on(Events.TrafficCleared, (s: string) => {
      if (s === stream || s === '') setRows([]);
    });
    backend()
      .trafficRows(stream)
      .then((initial) => {
        if (!live) return;
        const last = initial.length ? initial[initial.length - 1].seq : 0;
        let r = initial;
        for (const b of pending) r = appendBatch(r, b.filter((x) => x.seq > last), stream);
        loaded = true;
        setRows(r);
      })
      .catch(onError);
    return () => {
      live = false;
      off();
      offClear();
    };
  }, [stream, onError]);
  const clear = useCallback(() => backend().trafficClear(stream).catch(onError), [stream, onError]);
  return { rows, clear };
}
