// Input that deserves a clear answer (issue 14, items 13 and 14): each case fails with a
// non-zero exit and exactly one line on stderr that names the cause, quickly, and leaves
// nothing behind; what runc runs (a process without user) runs.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxRootfs, expectOneLineError, Env, leftovers, makeBundle, sampleSpec, withArgs, type Result } from '../helpers/lxcri.js';
import type { Spec } from '../../src/spec/types.js';

let env: Env;
let image: string;
beforeAll(() => {
  env = new Env();
  image = mkdtempSync(join(tmpdir(), 'lxcri-test-clear-'));
  cpSync(busyboxRootfs(), join(image, 'rootfs'), { recursive: true, verbatimSymlinks: true });
  const r = spawnSync('mkfifo', [join(image, 'rootfs/fifo')]);
  if (r.status !== 0) throw new Error('mkfifo failed');
});
afterAll(async () => {
  chmodSync(join(image, 'rootfs'), 0o755);
  await env.cleanup();
  rmSync(image, { recursive: true, force: true });
});

function oneLineError(r: Result, pattern: RegExp): void {
  expectOneLineError(r, pattern);
  expect(r.stderr).toMatch(/^lxcri: /);
  expect(r.stderr.length).toBeLessThan(1000);
}

async function createFails(id: string, bundle: string, pattern: RegExp): Promise<void> {
  oneLineError(await env.run(['create', '--bundle', bundle, id], { timeoutMs: 15_000 }), pattern);
  expect(leftovers(env, id)).toEqual([]);
}

/** A bundle whose config.json is `make(path)`'s doing. */
function bundleDir(name: string, make: (file: string) => void): string {
  const dir = makeBundle(env, name);
  rmSync(join(dir, 'config.json'));
  make(join(dir, 'config.json'));
  return dir;
}

describe('config.json that cannot be taken', () => {
  it('/dev/zero is refused, not read until memory runs out', async () => {
    await createFails('inp-ca-zero', bundleDir('zero', (f) => symlinkSync('/dev/zero', f)), /config\.json is not a regular file/);
  });
  it('a FIFO is refused, not waited on', async () => {
    await createFails('inp-ca-fifo', bundleDir('fifo', (f) => spawnSync('mkfifo', [f])), /config\.json is a FIFO, not a regular file/);
  });
  it('a file over 16 MiB is refused', async () => {
    const big = bundleDir('big', (f) => {
      const s = JSON.stringify(sampleSpec());
      writeFileSync(f, `${s.slice(0, -1)},"pad":"${'x'.repeat(17 << 20)}"}`);
    });
    await createFails('inp-ca-big', big, /config\.json is larger than 16 MiB/);
  });
  it('deeply nested unknown fields are refused by depth, not by a stack overflow', async () => {
    const deep = bundleDir('deep', (f) => {
      const s = JSON.stringify({ ...sampleSpec(), root: { path: busyboxRootfs() } });
      writeFileSync(f, `${s.slice(0, -1)},"x-vendor":${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}}`);
    });
    await createFails('inp-ca-deep', deep, /config\.json nests deeper than 64 levels/);
  });
  it('moderately nested unknown fields are taken', async () => {
    const b = makeBundle(env, 'nested-ok', withArgs('true'));
    const s = JSON.stringify({ ...sampleSpec(), root: { path: busyboxRootfs(), readonly: true }, process: { ...sampleSpec().process!, args: ['true'] } });
    writeFileSync(join(b, 'config.json'), `${s.slice(0, -1)},"x-vendor":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`);
    const r = await env.run(['create', '--bundle', b, 'inp-ca-nested']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await env.run(['delete', '--force', 'inp-ca-nested']);
  });
});

describe('what runc runs, lxcri runs', () => {
  for (const [name, edit] of [
    ['no process.user', (s: Spec) => delete s.process!.user],
    ['a user without uid and gid', (s: Spec) => (s.process!.user = {} as never)],
  ] as const) {
    it(`${name}: the process runs as 0:0`, async () => {
      const id = `inp-ca-user-${name.length}`;
      const b = makeBundle(env, id, (s) => {
        s.process!.args = ['sh', '-c', 'test "$(id -u):$(id -g)" = 0:0'];
        edit(s);
      });
      const r = await env.run(['run', '--bundle', b, id]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(leftovers(env, id)).toEqual([]);
    });
  }
});

describe('refused where runc refuses, or where the rule would silently vanish', () => {
  it('an unknown mount flag', async () => {
    const b = makeBundle(env, 'mntopt', (s) => s.mounts!.find((m) => m.destination === '/tmp')!.options!.push('nosiud'));
    await createFails('inp-ca-mntopt', b, /mount \/tmp: unknown mount option "nosiud"/);
  });
  for (const [label, name] of [
    ['a space', 'read write'],
    ['a line break', 'read\nwrite'],
  ]) {
    it(`a syscall name with ${label}`, async () => {
      const b = makeBundle(env, `sys-${label.length}`, (s) => {
        s.linux!.seccomp = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', name!], action: 'SCMP_ACT_ERRNO' }] };
      });
      await createFails(`inp-ca-sys${label.length}`, b, /linux\.seccomp\.syscalls\[0\]: "read( |\\n)write" is not a system call name/);
    });
  }
  it('a mount destination that is a FIFO in the image', async () => {
    const b = makeBundle(env, 'fifodest', (s) => {
      s.root = { path: join(image, 'rootfs'), readonly: true };
      s.mounts!.push({ destination: '/fifo', type: 'tmpfs', source: 'tmpfs' });
    });
    await createFails('inp-ca-fifodest', b, /mount destination \/fifo is a FIFO in the image/);
  });
});

describe('a rootfs the container cannot enter: one line with the real cause', () => {
  it('mode 000', async () => {
    const b = makeBundle(env, 'mode000', (s) => {
      s.root = { path: join(image, 'rootfs'), readonly: true };
    });
    chmodSync(join(image, 'rootfs'), 0o000);
    try {
      await createFails('inp-ca-mode000', b, /root\.path .* \(mode 0000, owner 0:0\) cannot be entered by the container's root without CAP_DAC_OVERRIDE/);
    } finally {
      chmodSync(join(image, 'rootfs'), 0o755);
    }
  });
  it('mode 0700 with a non-root process user', async () => {
    const b = makeBundle(env, 'mode700', (s) => {
      s.root = { path: join(image, 'rootfs'), readonly: true };
      s.process!.user = { uid: 65534, gid: 65534 };
    });
    chmodSync(join(image, 'rootfs'), 0o700);
    try {
      await createFails('inp-ca-mode700', b, /cannot be entered by the container's user 65534/);
    } finally {
      chmodSync(join(image, 'rootfs'), 0o755);
    }
  });
});

describe('long values are cut in messages', () => {
  it('a 100 KB env entry without "=" is named by its first 200 characters and its length', async () => {
    const b = makeBundle(env, 'longenv', (s) => s.process!.env!.push('X'.repeat(100_000)));
    await createFails('inp-ca-longenv', b, /process\.env entry "X{200}\.\.\. \(100000 characters\)" is not KEY=VALUE/);
  });
  it('a 100 KB relative cwd', async () => {
    const b = makeBundle(env, 'longcwd', (s) => (s.process!.cwd = `rel/${'d'.repeat(100_000)}`));
    await createFails('inp-ca-longcwd', b, /process\.cwd "rel\/d{196}\.\.\. \(100004 characters\)" must be absolute/);
  });
});

describe('exec --process is checked as create checks process', () => {
  const ID = 'inp-ca-exec';
  beforeAll(async () => {
    const b = makeBundle(env, ID, withArgs('sleep', '60'));
    const c = await env.run(['create', '--bundle', b, ID]);
    if (c.code !== 0) throw new Error(c.stderr);
    const s = await env.run(['start', ID]);
    if (s.code !== 0) throw new Error(s.stderr);
  });
  afterAll(async () => {
    await env.run(['delete', '--force', ID]);
  });
  const processFile = (name: string, p: Record<string, unknown>): string => {
    const f = join(env.dir, `${name}.json`);
    writeFileSync(f, JSON.stringify({ args: ['true'], cwd: '/', user: { uid: 0, gid: 0 }, ...p }));
    return f;
  };
  it('a relative cwd', async () => {
    oneLineError(await env.run(['exec', '--process', processFile('relcwd', { cwd: 'tmp' }), ID]), /exec: process\.cwd "tmp" must be absolute/);
    oneLineError(await env.run(['exec', '--cwd', 'tmp', ID, 'true']), /exec: process\.cwd "tmp" must be absolute/);
  });
  it('an env entry without "="', async () => {
    oneLineError(await env.run(['exec', '--process', processFile('noeq', { env: ['PATH=/bin', 'NOEQ'] }), ID]), /exec: process\.env entry "NOEQ" is not KEY=VALUE/);
  });
  it('a 4 MB environment: one line, not a silent 255', async () => {
    const one = processFile('env4m', { env: [`E=${'x'.repeat(4_000_000)}`] });
    oneLineError(await env.run(['exec', '--process', one, ID]), /exec: process\.env entry "E=x+\.\.\. \(4000002 characters\)" is 4000002 bytes: Linux takes at most 131071/);
    const many = processFile('env4mm', { env: Array.from({ length: 40 }, (_, i) => `E${i}=${'x'.repeat(100_000)}`) });
    oneLineError(await env.run(['exec', '--process', many, ID]), /exec: process: args and env take \d+ bytes, more than the \d+ a new program gets from Linux/);
  });
  it('a large environment within the limits runs', async () => {
    const ok = processFile('env1m', { args: ['sh', '-c', 'test ${#E9} = 100000'], env: Array.from({ length: 12 }, (_, i) => `E${i}=${'x'.repeat(100_000)}`) });
    const r = await env.run(['exec', '--process', ok, ID]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
  it('a --process file that is /dev/zero or nests too deep', async () => {
    oneLineError(await env.run(['exec', '--process', '/dev/zero', ID]), /cannot read --process \/dev\/zero: is not a regular file/);
    const deep = join(env.dir, 'deep.json');
    writeFileSync(deep, `{"args":["true"],"cwd":"/","x":${'['.repeat(10000)}${']'.repeat(10000)}}`);
    oneLineError(await env.run(['exec', '--process', deep, ID]), /nests deeper than 64 levels/);
  });
});

describe('update --resources that cannot be taken', () => {
  const id = 'inp-ca-update';
  beforeAll(async () => {
    const b = makeBundle(env, id, (s) => {
      s.process!.args = ['sleep', '600'];
    });
    const r = await env.run(['create', '--bundle', b, id]);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(async () => {
    await env.run(['delete', '--force', id]);
  });
  it('/dev/zero is refused, not read until memory runs out', async () => {
    oneLineError(await env.run(['update', '--resources', '/dev/zero', id], { timeoutMs: 15_000 }), /cannot read --resources \/dev\/zero: not a regular file$/);
  });
  it('a FIFO is refused, not waited on', async () => {
    const fifo = join(image, 'resources-fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    oneLineError(await env.run(['update', '--resources', fifo, id], { timeoutMs: 15_000 }), /cannot read --resources .*resources-fifo: not a regular file$/);
  });
  it('endless stdin is cut at 1 MiB', async () => {
    oneLineError(await env.run(['update', '--resources', '-', id], { input: ' '.repeat(2 << 20), timeoutMs: 15_000 }), /cannot read --resources -: larger than 1048576 bytes$/);
  });
});
