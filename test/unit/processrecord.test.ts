// The process record is written in TypeScript (src/lxc/processrecord.ts) and read in C
// (libexec/procspec.c): the keys must be alike, and the fixtures the C unit test decodes
// (libexec/tests/procspec_test.c) are what the writer makes of the same values.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capabilitySets } from '../../src/lxc/capabilities.js';
import { decodeProcessRecord, encodeProcessRecord, PROCESS_RECORD_KEYS, processRecordOf } from '../../src/lxc/processrecord.js';
import type { Process } from '../../src/spec/types.js';
import { REPO } from '../helpers/lxcri.js';

const fixture = (name: string): Buffer => readFileSync(join(REPO, 'test/fixtures/process-record', name));
const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

const createProcess: Process = {
  args: ['sh', '-c', 'echo "a=b"\n'],
  env: ['PATH=/bin', 'EMPTY=', 'PATH=/bin:/usr/bin'],
  cwd: '/work dir',
  user: { uid: 1000, gid: 100, umask: 0o27, additionalGids: [10, 20] },
  capabilities: { bounding: ['CAP_NET_BIND_SERVICE'], effective: ['CAP_NET_BIND_SERVICE'], permitted: ['CAP_NET_BIND_SERVICE'] },
  terminal: true,
  rlimits: [{ type: 'RLIMIT_NOFILE', soft: 1, hard: 2 }],
};
const execProcess: Process = {
  args: ['/bin/true'],
  cwd: '/',
  user: { uid: 0, gid: 0 },
  capabilities: { bounding: [], effective: [], permitted: [] },
  rlimits: [{ type: 'RLIMIT_NOFILE', soft: 1024, hard: 4096 }, { type: 'RLIMIT_CORE', soft: 2 ** 64, hard: 2 ** 64 }],
};

describe('process record', () => {
  it('procspec.h and processrecord.ts name the same keys', () => {
    const c = new Map<string, string>();
    for (const line of readFileSync(join(REPO, 'libexec/procspec.h'), 'utf8').split('\n')) {
      const d = /^#define PROCREC_KEY_([A-Z_]+) "([^"]*)"$/.exec(line);
      if (d) c.set(d[1]!, d[2]!);
    }
    const ts = Object.fromEntries(Object.entries(PROCESS_RECORD_KEYS).map(([k, v]) => [snake(k), v]));
    expect(Object.fromEntries([...c].sort())).toEqual(Object.fromEntries(Object.entries(ts).sort()));
  });

  it("create's record: the C test's fixture, bytes for bytes (rlimits left to liblxc)", () => {
    const r = processRecordOf(createProcess, capabilitySets(createProcess.capabilities), { terminal: 'console', keepFds: 2, seccomp: 'file', rlimits: false });
    expect(encodeProcessRecord(r)).toEqual(fixture('create.rec'));
    expect(decodeProcessRecord(fixture('create.rec'))).toEqual(r);
  });

  it("exec's record: terminal on stdin, the seccomp fd, rlimits", () => {
    const r = processRecordOf(execProcess, capabilitySets(execProcess.capabilities), { terminal: 'stdin', keepFds: 0, seccomp: 4, rlimits: true });
    expect(encodeProcessRecord(r)).toEqual(fixture('exec.rec'));
    expect(decodeProcessRecord(fixture('exec.rec'))).toEqual(r);
  });

  it('refuses what the C reader refuses', () => {
    const bad = ['identity=0 0 - 0 0 0 0 0\0cwd=/\0arg=x', 'cwd=/\0arg=x\0', 'identity=x\0arg=x\0', 'identity=x\0cwd=/\0',
      'identity=x\0cwd=/\0arg=x\0ioPriority=1\0', 'identity=x\0cwd=/\0cwd=/\0arg=x\0', 'identity=x\0cwd=/\0arg=x\0terminal=yes\0'];
    for (const b of bad) expect(() => decodeProcessRecord(Buffer.from(b)), JSON.stringify(b)).toThrow(/^process record: /);
    expect(() => encodeProcessRecord({ args: ['a\0b'], env: [], cwd: '/', identity: '0' })).toThrow('arg holds a NUL byte');
  });
});
