import type { TrafficRow } from '../api';

// appendBatch adds the rows of batch that belong to stream to rows (newest
// last), keeping at most cap rows. It returns rows itself when nothing in
// the batch is for this stream, so React skips the re-render.
export function appendBatch(rows: TrafficRow[], batch: TrafficRow[], stream: string, cap = 50000): TrafficRow[] {
  const mine = batch.filter((r) => r.stream === stream);
  if (mine.length === 0) return rows;
  const next = rows.concat(mine);
  return next.length > cap ? next.slice(next.length - cap) : next;
}

// filterRows keeps rows whose method, path, operation or status contain q;
// "4xx"/"5xx" match a status class, "!" matches rows with problems.
export function filterRows(rows: TrafficRow[], q: string): TrafficRow[] {
  const needle = q.trim().toLowerCase();
  if (!needle) return rows;
  const cls = /^([1-5])xx$/.exec(needle);
  if (cls) {
    const c = Number(cls[1]);
    return rows.filter((r) => Math.floor(r.status / 100) === c);
  }
  if (needle === '!') return rows.filter((r) => r.error || r.noteLevel === 'error' || r.status >= 400 || r.status === 0);
  return rows.filter((r) =>
    [r.method, r.path, r.operationId ?? '', String(r.status), r.source].some((s) => s.toLowerCase().includes(needle)),
  );
}

export function statusClass(r: TrafficRow): string {
  if (r.error || r.status === 0) return 'st-err';
  if (r.status >= 500) return 'st-5';
  if (r.status >= 400) return 'st-4';
  if (r.status >= 300) return 'st-3';
  return 'st-2';
}

export function clock(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
