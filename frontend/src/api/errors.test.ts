import { describe, expect, it } from 'vitest';
import { call, toApiError } from './errors';

describe('toApiError', () => {
  it('keeps message and fix from the Go formatter', () => {
    const e = toApiError({ message: 'a.json:3:4: bad', fix: 'close the brace' });
    expect(e.message).toBe('a.json:3:4: bad');
    expect(e.fix).toBe('close the brace');
  });
  it('parses JSON text and falls back to plain text', () => {
    expect(toApiError('{"message":"m","fix":"f"}').fix).toBe('f');
    const plain = toApiError('just text');
    expect(plain.message).toBe('just text');
    expect(plain.fix).toBeUndefined();
  });
  it('call rejects with ApiError', async () => {
    await expect(call(() => Promise.reject({ message: 'x' }))).rejects.toMatchObject({ name: 'ApiError', message: 'x' });
  });
});
