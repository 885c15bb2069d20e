import type { ExchangeView, MessageView, OperationView, TrafficRow, TryRequest } from '../api';

// StreamMatch says whether a traffic stream belongs to a list: one stream
// name, or a predicate (all mocks of a connector, every stream).
export type StreamMatch = string | ((stream: string) => boolean);

export function matches(m: StreamMatch, stream: string): boolean {
  return typeof m === 'string' ? m === stream : m(stream);
}

// mockStreams matches the traffic of every mock of the connector at path:
// the one started by path ("mock:PATH") and those started next to it
// ("mock:PATH#N").
export function mockStreams(path: string): (stream: string) => boolean {
  const one = `mock:${path}`;
  return (s) => s === one || s.startsWith(one + '#');
}

export const anyStream = () => true;

// appendBatch adds the rows of batch that belong to the list (newest last),
// keeping at most cap rows. It returns rows itself when nothing in the batch
// is for this list, so React skips the re-render.
export function appendBatch(rows: TrafficRow[], batch: TrafficRow[], stream: StreamMatch, cap = 50000): TrafficRow[] {
  const mine = batch.filter((r) => matches(stream, r.stream));
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
  if (needle === '!') return rows.filter(isProblem);
  return rows.filter((r) => [r.method, r.path, r.operationId ?? '', String(r.status), r.source].some((s) => s.toLowerCase().includes(needle)));
}

function isProblem(r: TrafficRow): boolean {
  return !!r.error || r.noteLevel === 'error' || r.status >= 400 || r.status === 0;
}

// TrafficFilter is the traffic view's filter bar.
export interface TrafficFilter {
  // status: '' (all), '2xx'…'5xx', or 'problems'.
  status: string;
  // operation: '' (all), an operationId, or '-' (no operation matched).
  operation: string;
  // stream: '' (all) or one stream (a mock, a recording session).
  stream: string;
  text: string;
}

export const noFilter: TrafficFilter = { status: '', operation: '', stream: '', text: '' };

export function applyFilter(rows: TrafficRow[], f: TrafficFilter): TrafficRow[] {
  let out = rows;
  if (f.stream) out = out.filter((r) => r.stream === f.stream);
  if (f.operation) out = out.filter((r) => (f.operation === '-' ? !r.operationId : r.operationId === f.operation));
  if (f.status === 'problems') out = out.filter(isProblem);
  else if (f.status) {
    const c = Number(f.status[0]);
    out = out.filter((r) => Math.floor(r.status / 100) === c);
  }
  return filterRows(out, f.text);
}

// distinct lists the values of key over rows, sorted, for the filter menus.
export function distinct(rows: TrafficRow[], key: (r: TrafficRow) => string | undefined): string[] {
  const seen = new Set<string>();
  for (const r of rows) {
    const v = key(r);
    if (v) seen.add(v);
  }
  return [...seen].sort();
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

// prettyBody indents a JSON body; other bodies are returned as they are.
export function prettyBody(m: MessageView): string {
  if (m.kind !== 'json' || m.truncated) return m.body;
  try {
    return JSON.stringify(JSON.parse(m.body), null, 2);
  } catch {
    return m.body;
  }
}

// Headers the client does not set itself (curl and fetch add their own).
const hopHeaders = new Set(['host', 'content-length', 'connection', 'accept-encoding', 'transfer-encoding', 'user-agent']);

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

// curlCommand is the exchange's request as a curl command line. Redacted
// values stay redacted: a placeholder names what to fill in.
export function curlCommand(x: ExchangeView): string {
  const parts = ['curl'];
  const method = x.row.method.toUpperCase();
  if (method !== 'GET' || x.request.kind !== 'empty') parts.push('-X', method);
  parts.push(shellQuote(x.url));
  for (const h of x.request.headers) {
    if (hopHeaders.has(h.name.toLowerCase())) continue;
    const v = h.redacted ? `<${h.name} (redacted when recorded)>` : h.value;
    parts.push('-H', shellQuote(`${h.name}: ${v}`));
  }
  if (x.request.kind !== 'empty' && x.request.body) parts.push('--data-raw', shellQuote(x.request.body));
  return parts.join(' ');
}

// replayRequest turns a recorded exchange back into a Try-it request to
// the running mock of connector path: path parameters are read from the
// URL by the operation's path template, query parameters and non-secret
// headers are sent again, and the body as it was. It returns null when the
// exchange matched no operation of the connector.
export function replayRequest(x: ExchangeView, path: string, ops: OperationView[]): TryRequest | null {
  const op = ops.find((o) => o.id === x.row.operationId);
  if (!op) return null;
  const params: Record<string, string> = {};
  let u: URL;
  try {
    // Mock exchanges carry the request target ("/v1/orders/1?top=2"), proxy
    // ones a full URL.
    u = new URL(x.url, 'http://mock.invalid');
  } catch {
    return null;
  }
  // Match the template against the end of the URL path (the base path
  // comes before it).
  const names: string[] = [];
  const re = new RegExp(
    op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, n: string) => {
      names.push(n);
      return '([^/]+)';
    }) + '/?$',
  );
  const m = re.exec(u.pathname);
  if (m) names.forEach((n, i) => (params[`path:${n}`] = decodeURIComponent(m[i + 1])));
  u.searchParams.forEach((v, k) => (params[`query:${k}`] = v));
  const declared = new Set((op.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name.toLowerCase()));
  for (const h of x.request.headers) {
    if (!h.redacted && declared.has(h.name.toLowerCase())) params[`header:${h.name}`] = h.value;
  }
  const ct = x.request.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value;
  const req: TryRequest = { path, operationId: op.id, params };
  if (x.request.kind !== 'empty' && x.request.body) {
    req.body = x.request.body;
    if (ct) req.contentType = ct;
  }
  return req;
}
