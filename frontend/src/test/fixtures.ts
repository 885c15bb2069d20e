import type { Backend, ConnectorView, EventName, EventPayloads, TrafficFilter, TrafficPage, TrafficRow } from '../api';
import { inScope } from '../lib/traffic';

export const sampleView = {
  path: '/c/contoso',
  name: 'Contoso Orders',
  format: 'swagger2',
  files: { definition: '/c/contoso/apiDefinition.swagger.json' },
  host: 'api.contoso.example',
  basePath: '/v1',
  schemes: ['https'],
  auth: { kind: 'apiKey', sets: [{ kind: 'apiKey', apiKey: { in: 'header', name: 'X-API-Key', parameter: 'api_key' } }] },
  policies: [{ template: 'setheader', templateId: 'setHeader', title: 'Set header', pointer: '/x', parameters: { 'x-ms-apimTemplateParameter.name': 'X-Source' } }],
  groups: [
    {
      title: 'Actions',
      operations: [
        { id: 'ListOrders', method: 'GET', path: '/orders', summary: 'List orders', visibility: 'important', pageable: true, parameters: [{ name: 'top', in: 'query', type: 'integer' }], dynamic: [{ kind: 'values', target: 'query:customerId', operationId: 'ListCustomers' }] },
        { id: 'CreateOrder', method: 'POST', path: '/orders', summary: 'Create an order', parameters: [], body: { contentType: 'application/json', example: '{}' } },
      ],
    },
    { title: 'Triggers', operations: [{ id: 'OnOrder', method: 'POST', path: '/hooks', summary: 'When an order is created', trigger: { kind: 'webhook', cardinality: 'single' }, parameters: [] }] },
  ],
  operations: 3,
  findings: [{ id: 'summary-missing', level: 'warning', location: 'apiDefinition.swagger.json:10:5', message: 'operation has no summary', fix: 'add a summary' }],
  counts: { error: 0, warning: 1, info: 0 },
  loadMillis: 12,
} as unknown as ConnectorView;

// fakeBackend answers like Go would; override what a test needs.
export function fakeBackend(over: Partial<Backend> = {}): Backend {
  return {
    info: async () => ({ version: 'test' }) as any,
    ready: async () => undefined,
    openConnector: async () => sampleView,
    recent: async () => [],
    forgetRecent: async () => undefined,
    chooseFolder: async () => '',
    chooseFile: async () => '',
    newConnectorAuthKinds: async () => ['apikey', 'basic', 'oauth2', 'aad', 'none'],
    newConnectorChooseSource: async () => '/src/pets.openapi3.json',
    newConnectorPreview: async (req) => samplePreview(req.from || req.session || ''),
    newConnectorSave: async (dir) => dir || '/chosen/pets',
    editOperation: async () => sampleView,
    exportMockoon: async (_p, out) => ({ file: out || '/chosen/contoso.mockoon.json', routes: 12, findings: [{ id: 'export-mockoon-auth', level: 'info', location: 'apiDefinition.swagger.json #/securityDefinitions', message: 'apiKey authentication is not checked by Mockoon' }] }),
    trafficRows: async (f, from, count) => pageRows([], f, from, count),
    trafficDetail: async () => {
      throw { message: 'no such exchange' };
    },
    trafficClear: async () => undefined,
    mockStart: async (cfg) => ({ path: cfg.path, name: 'Contoso Orders', running: true, url: 'http://127.0.0.1:4010/v1', port: 4010, stream: `mock:${cfg.path}`, config: cfg }) as any,
    mockUpdate: async (cfg) => ({ path: cfg.path, name: 'Contoso Orders', running: true, stream: `mock:${cfg.path}`, config: cfg }) as any,
    mockStop: async (path) => ({ path, running: false, stream: `mock:${path}` }) as any,
    mockList: async () => [],
    mockStartMock: async (cfg) => ({ id: 'm2', path: cfg.path, name: 'Contoso Orders', running: true, url: 'http://127.0.0.1:4011/v1', port: 4011, stream: `mock:${cfg.path}#2`, config: cfg }) as any,
    mockStopMock: async (id) => ({ id, path: '/c/contoso', name: 'Contoso Orders', running: false, port: 4011, stream: `mock:/c/contoso#2` }) as any,
    mockUpdateMock: async (id, cfg) => ({ id, path: cfg.path, name: 'Contoso Orders', running: true, stream: `mock:${cfg.path}`, config: cfg }) as any,
    mockListMocks: async () => [],
    clipboard: async () => undefined,
    overrides: async () => ({
      file: '/c/contoso/.connectorlab/overrides.json',
      operations: [
        { operationId: 'ListOrders', choices: ['status:200'] },
        { operationId: 'CreateOrder', choices: ['status:201', 'status:400', 'example:small'] },
        { operationId: 'OnOrder', choices: ['status:201'] },
      ],
    }) as any,
    saveOverrides: async (_p, rows) => ({ file: '/c/contoso/.connectorlab/overrides.json', operations: rows }) as any,
    checkBody: async () => ({ problems: [], schema: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string', enum: ['pending', 'shipped'] } }, required: ['id'] } }),
    script: async () => sampleScript(),
    saveScript: async (_p, source) => ({ ...sampleScript(), source, reloaded: 1 }),
    runScript: async () => sampleScriptRun(),
    saveTestCase: async (_seq, name) => ({ session: { id: 7, name, connector: 'Contoso Orders', started: 1700000000000, status: 'complete', exchanges: 1 }, created: true }),
    mockTry: async () => ({ method: 'GET', url: 'http://127.0.0.1:4010/v1/orders', status: 200, millis: 1, response: { headers: [], kind: 'json', body: '[]', size: 2 } }) as any,
    mockLookup: async () => [{ value: 'c1', title: 'Customer One' }] as any,
    triggers: async () => ({
      triggers: [
        { operationId: 'OnOrderShipped', kind: 'webhook', cardinality: 'single', method: 'POST', path: '/hooks', subscriptions: 1, payload: 'x-ms-notification-content' },
        { operationId: 'OnNewOrder', kind: 'polling', cardinality: 'batch', method: 'GET', path: '/trigger/orders', items: 3 },
      ],
      subscriptions: [{ id: 'sub-1', operationId: 'OnOrderShipped', callbackUrl: 'http://127.0.0.1:9/cb', created: 1, deliveries: 2, failures: 0, lastStatus: 200 }],
      cursors: [{ operationId: 'OnNewOrder', cursor: 0, next: 3, status: 200, items: 3, at: 1 }],
    }) as any,
    fire: async () => ({ deliveries: [{ operationId: 'OnOrderShipped', subscriptionId: 'sub-1', callbackUrl: 'http://127.0.0.1:9/cb', attempts: 1, status: 200 }] }) as any,
    resetTriggers: async () => undefined,
    diffCompare: async (o, n) => sampleDiff(o, n),
    diffExport: async (_f, p) => p || '/tmp/report.html',
    recordDatabase: async () => '/tmp/rec.db',
    recordUseDatabase: async (p) => p,
    recordStart: async (cfg) => ({ path: cfg.path, name: 'Contoso Orders', running: true, url: 'http://127.0.0.1:5000/v1', upstream: cfg.upstream, sessionId: 1, sessionName: 's1', stream: 'session:1', database: '/tmp/rec.db', stats: { requests: 0, stored: 0, failed: 0, storeErrors: 0 } }) as any,
    recordStop: async (p) => ({ path: p, running: false, stream: 'session:1', sessionId: 1, sessionName: 's1', stats: { requests: 2, stored: 2, failed: 0, storeErrors: 0 } }) as any,
    recordStatus: async () => [],
    sessions: async () => [{ id: 1, name: 's1', connector: 'Contoso Orders', started: 1700000000000, status: 'complete', exchanges: 2 }] as any,
    openSession: async (id) => `session:${id}`,
    deleteSession: async () => undefined,
    exportHAR: async (_id, p) => p || '/tmp/s1.har',
    exportSession: async (_id, f, p) => p || `/tmp/s1.${f}`,
    renameSession: async (id, name) => ({ id, name, connector: 'Contoso Orders', started: 1700000000000, status: 'complete', exchanges: 2 }) as any,
    importSession: async (_p, name) => ({ session: { id: 2, name: name || 'imported', connector: 'Contoso Orders', started: 1700000000000, status: 'complete', exchanges: 3 }, exchanges: 3 }) as any,
    contractRun: async () => ({ key: 'run-1', running: true, total: 2, done: 0, counts: {}, operations: [], findings: [] }) as any,
    contractResult: async () => sampleRun(),
    contractCancel: async () => undefined,
    contractExport: async (_k, _f, p) => p || '/tmp/r.xml',
    contractHistory: async () => [
      { id: 2, connector: 'Contoso Orders', started: 1700000100000, status: 'failed', total: 2, passed: 1, failed: 1, errors: 0, warnings: 0, skipped: 0 },
      { id: 1, connector: 'Contoso Orders', started: 1700000000000, status: 'passed', total: 2, passed: 2, failed: 0, errors: 0, warnings: 0, skipped: 0 },
    ] as any,
    on: () => () => undefined,
    ...over,
  } as Backend;
}

export function makeRows(n: number, stream = 'mock:/c/contoso'): TrafficRow[] {
  const rows: TrafficRow[] = [];
  for (let i = 1; i <= n; i++) {
    rows.push({ seq: i, stream, source: 'mock', at: 1700000000000 + i, method: 'GET', path: `/v1/orders/${i}`, status: i % 10 === 0 ? 404 : 200, millis: 1, operationId: 'GetOrder' } as TrafficRow);
  }
  return rows;
}

export function sampleDiff(o = '/old.json', n = '/new.json') {
  return {
    old: { path: o, name: 'Contoso', operations: 3, format: 'swagger2' },
    new: { path: n, name: 'Contoso', operations: 2, format: 'swagger2' },
    findings: [
      { id: 'response-field-removed', level: 'error', operation: 'GetOrder', where: 'response.body', field: 'total', message: 'field total was removed', old: 'number', new: '', location: 'new.json:10:3', fix: 'keep the field' },
      { id: 'operation-added', level: 'info', operation: 'ListThings', message: 'operation added' },
      { id: 'enum-widened', level: 'warning', operation: 'GetOrder', field: 'status', message: 'new enum value', old: 'a, b', new: 'a, b, c' },
    ],
    counts: { error: 1, warning: 1, info: 1 },
    passed: false,
    millis: 5,
  } as any;
}

export function sampleRun() {
  return {
    key: 'run-1', connector: 'Contoso Orders', target: 'http://127.0.0.1:4010/v1', started: 1, millis: 20, running: false, done: 2, total: 2,
    counts: { error: 1, warning: 0, info: 0 }, passed: false, findings: [],
    operations: [
      { operation: 'GetOrder', verdict: 'failed', passed: 0, failed: 1, warnings: 0, errors: 0, skipped: 0, cases: [
        { name: 'GetOrder #1', operation: 'GetOrder', method: 'GET', url: '/v1/orders/1', status: 200, millis: 1.5, verdict: 'failed',
          findings: [{ id: 'response-field-removed', level: 'error', message: 'field total was removed', field: 'total', old: 'number', new: '' }],
          recorded: '{\n  "total": 1\n}', replayed: '{\n}' },
      ] },
      { operation: 'ListOrders', verdict: 'passed', passed: 1, failed: 0, warnings: 0, errors: 0, skipped: 0, cases: [
        { name: 'ListOrders #2', operation: 'ListOrders', method: 'GET', url: '/v1/orders', status: 200, millis: 1, verdict: 'passed', findings: [] },
      ] },
    ],
  } as any;
}

export function samplePreview(from: string) {
  return {
    name: 'Pets',
    source: from.endsWith('.json') ? 'openapi3' : 'session',
    auth: 'apiKey',
    operations: [
      { method: 'GET', path: '/pets', operationId: 'ListPets', summary: 'List pets' },
      { method: 'POST', path: '/pets', operationId: 'CreatePet', summary: 'Create a pet' },
    ],
    findings: [
      { id: 'create-oneof-approximated', level: 'warning', location: 'pets.openapi3.json:12:9', message: 'oneOf became one object', fix: 'review the merged schema' },
      { id: 'create-summary-generated', level: 'info', location: 'pets.openapi3.json #/paths/~1pets/post', message: 'summary written from the path' },
    ],
    counts: { warning: 1, info: 1 },
    definition: '{\n  "swagger": "2.0"\n}\n',
  };
}

export function sampleScript() {
  return {
    file: '/c/contoso/script.csx',
    source: 'public class Script : ScriptBase\n{\n    public override async Task<HttpResponseMessage> ExecuteAsync()\n    {\n        return await this.Context.SendAsync(this.Context.Request, this.CancellationToken);\n    }\n}\n',
    operations: ['CreateOrder'],
    compile: { file: '/c/contoso/script.csx', available: true, ok: true, diagnostics: [], took: 1000000, cached: true },
  } as any;
}

export function sampleScriptRun() {
  return {
    operation: 'CreateOrder', scriptOperation: true, against: 'mock',
    before: { method: 'POST', url: 'https://api.contoso.example/v1/orders', headers: [{ name: 'Content-Type', value: 'application/json' }], kind: 'json', body: '{"a":1}' },
    sends: [{ request: { method: 'POST', url: 'https://api.contoso.example/v1/orders', headers: [], kind: 'json', body: '{"a":1,"b":2}' }, response: { status: 201, headers: [], kind: 'json', body: '{"id":"o-1"}' }, millis: 2.5 }],
    after: { status: 201, headers: [{ name: 'X-Script', value: 'yes' }], kind: 'json', body: '{"id":"o-1","added":true}' },
    logs: [{ level: 'Information', message: 'reshaped the body', atMs: 1.2 }],
    warnings: [], compileMs: 0, cached: true, coldStartMs: 210, callMs: 4.2, isolation: 'own process group',
  } as any;
}

// pageRows answers TrafficService.Rows over rows (oldest first) as
// workflow/traffic Page does, for tests of the paged lists.
export function pageRows(rows: TrafficRow[], f: TrafficFilter, from: number, count: number): TrafficPage {
  const scoped = rows.filter((r) => inScope(f.scope, r.stream)).reverse();
  const problem = (r: TrafficRow) => !!r.error || r.noteLevel === 'error' || r.status >= 400 || r.status === 0;
  const cls = (s: string) => /^[1-5]xx$/.test(s);
  const needle = f.text.trim().toLowerCase();
  const match = (r: TrafficRow) =>
    (!f.stream || r.stream === f.stream) &&
    (!f.operation || (f.operation === '-' ? !r.operationId : r.operationId === f.operation)) &&
    (!f.status || (f.status === 'problems' ? problem(r) : Math.floor(r.status / 100) === Number(f.status[0]))) &&
    (!needle ||
      (needle === '!' ? problem(r) : cls(needle) ? Math.floor(r.status / 100) === Number(needle[0]) : [r.method, r.path, r.operationId ?? '', String(r.status), r.source].some((s) => s.toLowerCase().includes(needle))));
  const matching = scoped.filter(match);
  return {
    from,
    rows: matching.slice(from, from + Math.min(count, 1000)),
    matching: matching.length,
    total: scoped.length,
    operations: [...new Set(scoped.map((r) => r.operationId).filter((o): o is string => !!o))].sort(),
    streams: [...new Set(scoped.map((r) => r.stream))].sort(),
    latest: scoped[0]?.seq ?? 0,
  };
}

// liveTraffic is a fake Go traffic log: rows, paged by trafficRows, and
// emit to send the window an event (batch, cleared).
export function liveTraffic(initial: TrafficRow[]) {
  const rows = [...initial];
  const subs = new Map<string, Set<(d: never) => void>>();
  const calls: { filter: TrafficFilter; from: number; count: number }[] = [];
  const emit = <E extends EventName>(event: E, data: EventPayloads[E]) => subs.get(event)?.forEach((fn) => (fn as (d: EventPayloads[E]) => void)(data));
  const backend = fakeBackend({
    trafficRows: async (filter, from, count) => {
      calls.push({ filter, from, count });
      return pageRows(rows, filter, from, count);
    },
    trafficClear: async (scope) => {
      for (let i = rows.length - 1; i >= 0; i--) if (inScope(scope, rows[i].stream)) rows.splice(i, 1);
      emit('traffic:cleared', scope);
    },
    on: (event, fn) => {
      const set = subs.get(event) ?? new Set();
      set.add(fn as (d: never) => void);
      subs.set(event, set);
      return () => set.delete(fn as (d: never) => void);
    },
  });
  const add = (more: TrafficRow[]) => {
    rows.push(...more);
    emit('traffic:batch', { new: more.length, total: rows.length, latest: rows[rows.length - 1]?.seq ?? 0, streams: [...new Set(more.map((r) => r.stream))] });
  };
  return { backend, rows, calls, add, emit };
}
