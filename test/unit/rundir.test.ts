// The runtime directory protocol is defined twice, for TypeScript (src/base/layout.ts)
// and C (libexec/rundir.h): both must name every file alike.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INIT_DIR, INITDIR, RUNDIR } from '../../src/base/layout.js';
import { REPO } from '../helpers/lxcri.js';

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

function cDefines(): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of readFileSync(join(REPO, 'libexec/rundir.h'), 'utf8').split('\n')) {
    const d = /^#define ((?:RUNDIR|INITDIR|INIT)_[A-Z_]+) "([^"]*)"$/.exec(line);
    if (d) m.set(d[1]!, d[2]!);
  }
  return m;
}

describe('runtime directory protocol', () => {
  it('layout.ts and rundir.h name the same files with the same values', () => {
    const ts = new Map<string, string>([['INIT_DIR', INIT_DIR]]);
    for (const [k, v] of Object.entries(RUNDIR)) ts.set(`RUNDIR_${snake(k)}`, v);
    for (const [k, v] of Object.entries(INITDIR)) ts.set(`INITDIR_${snake(k)}`, v);
    expect(Object.fromEntries([...cDefines()].sort())).toEqual(Object.fromEntries([...ts].sort()));
  });
});
