import { describe, expect, it } from 'vitest';
import { curlCommand, inScope, replayRequest, statusClass } from './traffic';
import type { ExchangeView, OperationView } from '../api';
import { makeRows } from '../test/fixtures';

describe('statusClass', () => {
  const rows = makeRows(1);
  it('classes statuses', () => {
    expect(statusClass({ ...rows[0], status: 503 })).toBe('st-5');
    expect(statusClass({ ...rows[0], status: 0 })).toBe('st-err');
  });
});

describe('inScope', () => {
  it('matches every mock of one connector and no other, as Go does', () => {
    expect(inScope('mock:/c/a#*', 'mock:/c/a')).toBe(true);
    expect(inScope('mock:/c/a#*', 'mock:/c/a#123')).toBe(true);
    expect(inScope('mock:/c/a#*', 'mock:/c/ab')).toBe(false);
    expect(inScope('mock:/c/a#*', 'session:1')).toBe(false);
    expect(inScope('', 'session:1')).toBe(true);
    expect(inScope('session:1', 'session:12')).toBe(false);
  });
});

const exchange = (over: Partial<ExchangeView> = {}) =>
  ({
    row: { seq: 1, stream: 's', source: 'mock', at: 0, method: 'GET', path: '/v1/orders/o-1', status: 200, millis: 1, operationId: 'GetOrder' },
    url: 'http://127.0.0.1:4010/v1/orders/o%2F1?expand=lines',
    request: {
      headers: [
        { name: 'X-API-Key', value: '[redacted]', redacted: true },
        { name: 'X-Trace', value: "it's" },
        { name: 'Host', value: '127.0.0.1' },
      ],
      kind: 'empty',
      body: '',
      size: 0,
    },
    response: { headers: [], kind: 'empty', body: '', size: 0 },
    notes: [],
    redactions: [],
    ...over,
  }) as unknown as ExchangeView;


describe('copy as curl', () => {
  it('quotes for the shell and never puts a redacted secret back', () => {
    const c = curlCommand(exchange());
    expect(c).toBe(`curl 'http://127.0.0.1:4010/v1/orders/o%2F1?expand=lines' -H 'X-API-Key: <X-API-Key (redacted when recorded)>' -H 'X-Trace: it'\\''s'`);
    const post = curlCommand(exchange({ row: { ...exchange().row, method: 'POST' }, request: { headers: [], kind: 'json', body: '{"a":"b"}', size: 9 } } as unknown as Partial<ExchangeView>));
    expect(post).toContain(`-X POST`);
    expect(post).toContain(`--data-raw '{"a":"b"}'`);
  });
});

describe('replayRequest', () => {
  const ops = [{ id: 'GetOrder', method: 'GET', path: '/orders/{orderId}', parameters: [{ name: 'X-Trace', in: 'header' }] }] as unknown as OperationView[];
  it('reads path and query parameters back from the URL', () => {
    const r = replayRequest(exchange(), '/c/contoso', ops);
    expect(r).toEqual({ path: '/c/contoso', operationId: 'GetOrder', params: { 'path:orderId': 'o/1', 'query:expand': 'lines', 'header:X-Trace': "it's" } });
  });
  // Regression: mock exchanges carry the request target, not a full URL.
  it('reads a relative request target too', () => {
    const r = replayRequest(exchange({ url: '/v1/orders/o-42?expand=lines' } as unknown as Partial<ExchangeView>), '/c/contoso', ops);
    expect(r?.params).toEqual({ 'path:orderId': 'o-42', 'query:expand': 'lines', 'header:X-Trace': "it's" });
  });
  it('returns null when no operation matched', () => {
    expect(replayRequest(exchange({ row: { ...exchange().row, operationId: '' } } as Partial<ExchangeView>), '/c', ops)).toBeNull();
  });
});
