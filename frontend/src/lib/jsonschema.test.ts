import { describe, expect, it } from 'vitest';
import { placeAt, pointerOf, spanOf, suggest } from './jsonschema';
import type { SchemaOutline } from '../api';

const schema: SchemaOutline = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string', description: 'Order ID' },
    status: { type: 'string', enum: ['pending', 'shipped'] },
    paid: { type: 'boolean' },
    lines: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, quantity: { type: 'integer' } } } },
  },
};

describe('jsonschema helpers', () => {
  it('knows where the cursor is in half-typed JSON', () => {
    expect(placeAt('{"st', 4)).toMatchObject({ path: [], expecting: 'key', prefix: 'st', inString: true });
    expect(placeAt('{"status": "pe', 14)).toMatchObject({ path: [], expecting: 'value', key: 'status', prefix: 'pe' });
    expect(placeAt('{"lines": [{"sku": "a"}, {"q', 28)).toMatchObject({ path: ['lines', 1], expecting: 'key', prefix: 'q' });
    expect(placeAt('  ', 1)).toBeNull();
  });
  it('suggests properties (required first) and enum values from the schema', () => {
    const keys = suggest('{', 1, schema);
    expect(keys?.options.map((o) => o.label)).toEqual(['id', 'lines', 'paid', 'status']);
    expect(keys?.options[0]).toMatchObject({ apply: '"id": ""', detail: 'string · required' });
    const vals = suggest('{"status": ', 11, schema);
    expect(vals?.options.map((o) => o.label)).toEqual(['"pending"', '"shipped"']);
    expect(suggest('{"paid": t', 10, schema)?.options.map((o) => o.apply)).toEqual(['true', 'false']);
    expect(suggest('{"lines": [{"', 13, schema)?.options.map((o) => o.label)).toEqual(['quantity', 'sku']);
    expect(suggest('{', 1, null)).toBeNull();
  });
  it('finds where a JSON pointer lands, or its closest parent', () => {
    const text = '{\n  "id": 5,\n  "lines": [{"sku": 1}]\n}';
    const id = spanOf(text, '/id');
    expect(text.slice(id.from, id.to)).toBe('"id": 5');
    const sku = spanOf(text, '/lines/0/sku');
    expect(text.slice(sku.from, sku.to)).toBe('"sku": 1');
    const missing = spanOf(text, '/lines/0/quantity');
    expect(text.slice(missing.from, missing.from + 1)).toBe('{');
    expect(spanOf(text, '')).toEqual({ from: 0, to: 1 });
    expect(pointerOf(['a/b', 'c~d', 0])).toBe('/a~1b/c~0d/0');
  });
});
