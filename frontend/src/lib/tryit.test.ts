import { describe, expect, it } from 'vitest';
import { bodyError, initialValues, inputKind, missingRequired, visibleParams } from './tryit';
import type { OperationView } from '../api';

const op = {
  id: 'GetOrder',
  method: 'GET',
  path: '/orders/{orderId}',
  parameters: [
    { name: 'orderId', in: 'path', required: true, label: 'Order ID', type: 'string' },
    { name: 'top', in: 'query', type: 'integer', default: 10 },
    { name: 'format', in: 'query', enum: ['json'] },
    { name: 'hidden', in: 'header', visibility: 'internal', default: 'x' },
    { name: 'mustFill', in: 'header', visibility: 'internal', required: true },
    { name: 'customer', in: 'query', dynamic: { kind: 'values', target: 'query:customer', operationId: 'ListCustomers' } },
    { name: 'flag', in: 'query', type: 'boolean' },
  ],
} as unknown as OperationView;

describe('Try-it form helpers', () => {
  it('fills defaults and single-value enums', () => {
    expect(initialValues(op)).toEqual({ 'query:top': '10', 'query:format': 'json', 'header:hidden': 'x' });
  });
  it('lists required fields left empty by label', () => {
    expect(missingRequired(op, { 'path:orderId': ' ' })).toEqual(['Order ID', 'mustFill']);
    expect(missingRequired(op, { 'path:orderId': '1', 'header:mustFill': 'y' })).toEqual([]);
  });
  it('hides internal parameters unless a caller must fill them', () => {
    expect(visibleParams(op).map((p) => p.name)).not.toContain('hidden');
    expect(visibleParams(op).map((p) => p.name)).toContain('mustFill');
  });
  it('picks controls', () => {
    expect(op.parameters.map(inputKind)).toEqual(['text', 'number', 'select', 'text', 'text', 'dynamic', 'boolean']);
  });
  it('explains invalid JSON bodies', () => {
    expect(bodyError('{"a":1}')).toBe('');
    expect(bodyError('')).toBe('');
    expect(bodyError('{oops')).toMatch(/not valid JSON/);
  });
});
