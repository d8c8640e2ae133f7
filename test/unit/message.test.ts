// message.ts and errorMessage: whatever a value holds, a message is one line of bounded length.
import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../src/base/errors.js';
import { cut, echo, MAX_ECHO, oneLine } from '../../src/base/message.js';

describe('oneLine', () => {
  it('escapes line breaks and every other control character', () => {
    expect(oneLine('a\nb\r\tc')).toBe('a\\nb\\r\\tc');
    expect(oneLine('\u0000\u001b[1m\u007f')).toBe('\\x00\\x1b[1m\\x7f');
    expect(oneLine('x\u2028y\u2029z\u0085')).toBe('x\\u2028y\\u2029z\\x85');
    expect(oneLine('plain text, "quoted", €')).toBe('plain text, "quoted", €');
  });
  it('leaves a forged JSON record on the same line', () => {
    const s = oneLine('link\n{"l":"error","m":"FORGED"}\n');
    expect(s.split('\n')).toHaveLength(1);
  });
});

describe('cut', () => {
  it('keeps short values whole', () => {
    expect(cut('x'.repeat(MAX_ECHO))).toBe('x'.repeat(MAX_ECHO));
  });
  it('cuts long ones with a marker that gives the length', () => {
    expect(cut('y'.repeat(100_000))).toBe(`${'y'.repeat(MAX_ECHO)}... (100000 characters)`);
    expect(cut('abcdef', 3)).toBe('abc... (6 characters)');
  });
  it('never splits a surrogate pair', () => {
    const s = `${'a'.repeat(MAX_ECHO - 1)}😀tail`;
    const c = cut(s);
    expect(c.startsWith(`${'a'.repeat(MAX_ECHO - 1)}...`)).toBe(true);
    expect(c).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
  it('echo: one line and cut', () => {
    const e = echo(`${'\n'.repeat(300)}`);
    expect(e.split('\n')).toHaveLength(1);
    expect(e).toMatch(/^(\\n){200}\.\.\. \(300 characters\)$/);
  });
});

describe('errorMessage', () => {
  it('is one line whatever the error holds', () => {
    expect(errorMessage(new Error('first\n  second\r\nthird\u001b'))).toBe('first; second; third\\x1b');
    expect(errorMessage('a\tb')).toBe('a\\tb');
  });
  it('is cut at 4096 characters', () => {
    const m = errorMessage(new Error('z'.repeat(100_000)));
    expect(m.length).toBeLessThan(4200);
    expect(m).toMatch(/\.\.\. \(100000 characters\)$/);
  });
});
