import { describe, expect, it } from 'vitest';
import { shortcutFor, type KeyLike } from './shortcuts';

const key = (k: string, over: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, target: null, ...over });

describe('shortcutFor', () => {
  it('maps the documented keys', () => {
    expect(shortcutFor(key('2', { ctrlKey: true }))).toEqual({ kind: 'screen', index: 1 });
    expect(shortcutFor(key('1', { metaKey: true }))).toEqual({ kind: 'screen', index: 0 });
    expect(shortcutFor(key('k', { ctrlKey: true }))).toEqual({ kind: 'search' });
    expect(shortcutFor(key('Enter', { ctrlKey: true }))).toEqual({ kind: 'primary' });
    expect(shortcutFor(key('/'))).toEqual({ kind: 'search' });
    expect(shortcutFor(key('?'))).toEqual({ kind: 'help' });
    expect(shortcutFor(key('Escape'))).toEqual({ kind: 'escape' });
  });
  it('leaves typing alone', () => {
    const input = document.createElement('input');
    expect(shortcutFor(key('/', { target: input }))).toBeNull();
    expect(shortcutFor(key('?', { target: input }))).toBeNull();
    expect(shortcutFor(key('a'))).toBeNull();
    expect(shortcutFor(key('1'))).toBeNull();
    expect(shortcutFor(key('1', { ctrlKey: true, altKey: true }))).toBeNull();
    // Ctrl shortcuts still work from a text field.
    expect(shortcutFor(key('Enter', { ctrlKey: true, target: input }))).toEqual({ kind: 'primary' });
  });
});
