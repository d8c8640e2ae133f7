// The service wire is defined twice, for TypeScript (src/base/svcproto.ts) and C
// (libexec/svcproto.h): both must give every name the same value.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, SVC } from '../../src/base/svcproto.js';
import { VALUE_FLAGS } from '../../src/cli/globals.js';
import { INFORMATIONAL } from '../../src/cli/main.js';
import { REPO } from '../helpers/lxcri.js';

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

function cDefines(): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of readFileSync(join(REPO, 'libexec/svcproto.h'), 'utf8').split('\n')) {
    const d = /^#define (SVC_[A-Z_]+) (?:"([^"]*)"|'(.)'|(\d+))$/.exec(line);
    if (d) m.set(d[1]!, d[2] ?? d[3] ?? d[4]!);
  }
  return m;
}

describe('service wire', () => {
  it('svcproto.ts and svcproto.h give every name the same value', () => {
    const ts = new Map<string, string>();
    for (const [k, v] of Object.entries(SVC)) {
      if (typeof v === 'object') for (const [k2, v2] of Object.entries(v)) ts.set(`SVC_${snake(k === 'msg' ? 'msg' : k)}_${snake(k2)}`, String(v2));
      else ts.set(`SVC_${snake(k)}`, String(v));
    }
    expect(Object.fromEntries([...cDefines()].sort())).toEqual(Object.fromEntries([...ts].sort()));
  });

  it("the client skips the values of exactly the CLI's value flags when it looks for the command", () => {
    const src = readFileSync(join(REPO, 'libexec/clientconf.c'), 'utf8');
    const table = /value_flags\[\] = \{([^}]*)\}/.exec(src)?.[1] ?? '';
    const c = [...table.matchAll(/"(--[a-z-]+)"/g)].map((m) => m[1]!);
    expect(c.sort()).toEqual([...VALUE_FLAGS].sort());
  });

  it('the client runs in-process the commands that touch no container, and the service itself', () => {
    const src = readFileSync(join(REPO, 'libexec/clientconf.c'), 'utf8');
    const table = /in_process_words\[\] = \{([^}]*)\}/.exec(src)?.[1] ?? '';
    const c = [...table.matchAll(/"([a-z]+)"/g)].map((m) => m[1]!);
    expect(c.sort()).toEqual([...INFORMATIONAL, 'help', 'service'].sort());
  });

  it('a message decodes to what was encoded; malformed ones decode to null', () => {
    const m = encodeMessage(SVC.msg.exit, ['0', 'lxcri: x\n', '']);
    expect(decodeMessage(m)).toEqual({ type: 'X', fields: ['0', 'lxcri: x\n', ''] });
    expect(decodeMessage(Buffer.alloc(0))).toBeNull();
    expect(decodeMessage(Buffer.from('Xabc'))).toBeNull();
    expect(() => encodeMessage('X', ['a\0b'])).toThrow(/NUL/);
    expect(() => encodeMessage('X', ['x'.repeat(SVC.maxMsg)])).toThrow(/exceeds/);
  });
});
