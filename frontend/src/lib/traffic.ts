import type { ExchangeView, MessageView, OperationView, TrafficFilter, TrafficRow, TryRequest } from '../api';

// inScope says whether stream belongs to a list's scope, as Go decides
// (workflow/traffic InScope): '' every stream, 'mock:PATH#*' every mock of
// the connector at PATH, anything else one stream.
export function inScope(scope: string, stream: string): boolean {
  if (scope === '') return true;
  if (scope.startsWith('mock:') && scope.endsWith('#*')) {
    const one = scope.slice(0, -2);
    return stream === one || stream.startsWith(one + '#');
  }
  return stream === scope;
}

// BarFilter is the traffic view's filter bar (the scope is the list's).
export type BarFilter = Omit<TrafficFilter, 'scope'>;

export const noFilter: BarFilter = { status: '', operation: '', stream: '', text: '' };

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
