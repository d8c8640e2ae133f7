// A failing hook's reason ends with the last line it printed: one line, cut after 200
// characters at a character boundary with a marker that says how long it was, never a
// broken character or a raw control character (issue 14, item 14). Prestart hooks are run
// by create (src/runtime/hooks.ts), createContainer hooks by lxcri-hook (C).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env, leftovers, makeBundle, type Result } from '../helpers/lxcri.js';
import type { Hook } from '../../src/spec/types.js';

let env: Env;
beforeAll(() => {
  env = new Env();
});
afterAll(async () => {
  await env.cleanup();
});

/** A hook that prints `text` as its last line and exits 3. */
const printing = (text: string): Hook => ({ path: '/bin/sh', args: ['sh', '-c', 'echo first line; printf "%s\\n" "$1"; exit 3', 'hook', text] });

const EUROS = '€'.repeat(300); // 900 bytes of 3-byte characters

function oneLine(r: Result, id: string): string {
  expect(r.code).not.toBe(0);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).not.toContain('\uFFFD'); // no character cut in two
  expect(lines[0]).not.toMatch(/[\u0000-\u001f\u007f]/);
  expect(leftovers(env, id)).toEqual([]);
  return lines[0]!;
}

describe('hook failure messages', () => {
  it('a prestart hook: the last line cut at 200 characters with its length', async () => {
    const b = makeBundle(env, 'inp-hm-pre', (s) => {
      s.hooks = { prestart: [printing(EUROS)] };
    });
    const line = oneLine(await env.run(['create', '--bundle', b, 'inp-hm-pre']), 'inp-hm-pre');
    expect(line).toMatch(/prestart hook \/bin\/sh: exited with status 3: €{200}\.\.\. \(300 characters\)$/);
  });

  it('a prestart hook: control characters in the last line are escaped, not printed', async () => {
    const b = makeBundle(env, 'inp-hm-ctl', (s) => {
      s.hooks = { prestart: [printing('\u001b[31mred\u0007 alert\rcarriage')] };
    });
    const line = oneLine(await env.run(['create', '--bundle', b, 'inp-hm-ctl']), 'inp-hm-ctl');
    expect(line).toContain('exited with status 3: \\x1b[31mred\\x07 alert\\rcarriage');
  });

  it('a createContainer hook (lxcri-hook): cut at a character boundary with its length', async () => {
    const b = makeBundle(env, 'inp-hm-cc', (s) => {
      s.hooks = { createContainer: [printing(EUROS)] };
    });
    const line = oneLine(await env.run(['create', '--bundle', b, 'inp-hm-cc']), 'inp-hm-cc');
    // 200 bytes end inside the 67th character: 66 whole ones are kept.
    expect(line).toMatch(/createContainer hook \/bin\/sh: exited with status 3: €{66}\.\.\. \(900 bytes\)$/);
  });

  it('a createContainer hook: a short last line is the whole reason', async () => {
    const b = makeBundle(env, 'inp-hm-short', (s) => {
      s.hooks = { createContainer: [printing('the real reason')] };
    });
    const line = oneLine(await env.run(['create', '--bundle', b, 'inp-hm-short']), 'inp-hm-short');
    expect(line).toMatch(/createContainer hook \/bin\/sh: exited with status 3: the real reason$/);
  });
});
