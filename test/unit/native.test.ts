import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { NativeContainer, NativeError, NativeModule } from '../../src/native.d.ts';
import { lockDirOf } from '../helpers/lxcri.js';

const addonUrl = new URL('../../build/Release/lxcri_native.node', import.meta.url);
const native = createRequire(import.meta.url)('../../build/Release/lxcri_native.node') as NativeModule;

let lxcpath = '';
const open: NativeContainer[] = [];

function container(name: string): NativeContainer {
  const c = new native.Container(name, lxcpath);
  open.push(c);
  return c;
}

function caught(fn: () => unknown): NativeError {
  try {
    fn();
  } catch (e) {
    return e as NativeError;
  }
  throw new Error('expected a throw');
}

beforeAll(() => {
  lxcpath = mkdtempSync(join(tmpdir(), 'lxcri-native-'));
});

afterEach(() => {
  for (const c of open.splice(0)) c.release();
});

afterAll(() => {
  if (lxcpath) for (const d of [lxcpath, lockDirOf(lxcpath)]) rmSync(d, { recursive: true, force: true });
});

describe('module functions', () => {
  it('reports the liblxc version', () => {
    expect(native.version()).toMatch(/^\d+\.\d+/);
  });

  it('registers exactly the exports src/native.d.ts types (one table in native/addon.cc)', () => {
    const declared = [...readFileSync(new URL('../../src/native.d.ts', import.meta.url), 'utf8').split('export interface NativeModule {')[1]!.split('\n}\n')[0]!.matchAll(/^  (\w+)[(:]/gm)].map((m) => m[1]!);
    expect(Object.keys(native).sort()).toEqual([...new Set(declared)].sort());
  });
});

describe('flock', () => {
  it('shares shared locks, refuses a conflicting one without blocking, and unlocks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lxcri-flock-'));
    const file = join(dir, 'lock');
    const a = openSync(file, 'w');
    const b = openSync(file, 'r');
    try {
      expect(native.flock(a, 'shared')).toBe(true);
      expect(native.flock(b, 'shared')).toBe(true);
      expect(native.flock(b, 'exclusive')).toBe(false); // a holds it shared
      expect(native.flock(a, 'unlock')).toBe(true);
      expect(native.flock(b, 'exclusive')).toBe(true);
      expect(native.flock(a, 'shared')).toBe(false);
      expect(caught(() => native.flock(a, 'bogus' as 'shared')).message).toMatch(/unknown op/);
      const ebadf = caught(() => native.flock(9999, 'shared')) as NodeJS.ErrnoException;
      // As Node's own system errors.
      expect([ebadf.code, ebadf.errno]).toEqual(['EBADF', -9]);
    } finally {
      closeSync(a);
      closeSync(b);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Container config', () => {
  it('saves what is set, each item checked by liblxc', () => {
    const file = join(lxcpath, 'saved.conf');
    const c = container('saver');
    c.clearConfig();
    c.setConfigItem('lxc.uts.name', 'saved-host');
    c.setConfigItem('lxc.cap.drop', 'sys_admin');
    c.saveConfig(file);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^lxc\.uts\.name = saved-host$/m);
    expect(text).toMatch(/^lxc\.cap\.drop = sys_admin$/m);
  });

  it('throws with liblxc own reason for a bogus key', () => {
    const c = container('bogus');
    const err = caught(() => c.setConfigItem('lxc.bogus.key', '1'));
    expect(err).toBeInstanceOf(Error);
    expect(err.message.startsWith('setConfigItem lxc.bogus.key=1: ')).toBe(true);
    // The part after the prefix is what liblxc logged.
    expect(err.message).toMatch(/Unsupported config key "lxc\.bogus\.key"/);
    expect(err.lxcLog.length).toBeGreaterThan(0);
    expect(err.message.endsWith(err.lxcLog[err.lxcLog.length - 1] ?? '<none>')).toBe(true);
  });

  it('reports liblxc reasons for invalid values', () => {
    const c = container('reasons');
    expect(caught(() => c.setConfigItem('lxc.net.0.type', 'nonsense')).message).toBe(
      'setConfigItem lxc.net.0.type=nonsense: Invalid network type nonsense',
    );
  });

  it('rejects non-string arguments with TypeError', () => {
    const c = container('types');
    expect(() => (c.setConfigItem as (k: unknown, v: unknown) => void)('lxc.uts.name', 1)).toThrow(TypeError);
    expect(() => c.setConfigItem('lxc.uts.name\0x', 'y')).toThrow(TypeError);
  });
});

describe('Container init pid', () => {
  it('a never-started container has no init pid', async () => {
    await expect(container('idle2').initPid()).resolves.toBe(-1);
  });

  it('a pending call survives release', async () => {
    const c = new native.Container('released-early', lxcpath);
    const pid = c.initPid();
    c.release();
    await expect(pid).resolves.toBe(-1);
  });
});

describe('release', () => {
  it('is idempotent and blocks further use', () => {
    const c = new native.Container('twice', lxcpath);
    c.release();
    expect(() => c.release()).not.toThrow();
    expect(() => c.setConfigItem('lxc.uts.name', 'x')).toThrow(/twice: container released/);
    expect(() => c.initPid()).toThrow(/container released/);
  });

  it('creates nothing on disk by itself', () => {
    new native.Container('ghost', lxcpath).release();
    expect(existsSync(join(lxcpath, 'ghost'))).toBe(false);
  });
});

describe('liblxc log', () => {
  it('never reaches stdout or stderr', () => {
    const script = `
      const m = require(${JSON.stringify(fileURLToPath(addonUrl))});
      const c = new m.Container('quiet', ${JSON.stringify(lxcpath)});
      try { c.setConfigItem('lxc.bogus.key', '1'); } catch (e) { process.exitCode = e.message.includes('Unsupported config key') ? 0 : 3; }
      try { c.saveConfig('/nonexistent/dir/lxcri.conf'); } catch (e) {}
      c.release();
    `;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
  });
});

describe('reap', () => {
  it('refuses what is no child of this process and bad arguments', () => {
    // PID 1 is never our child: ECHILD, not a hang and not a status.
    expect(caught(() => native.reap(1)).message).toMatch(/^waitpid 1: .*No child processes/);
    expect(() => native.reap(0)).toThrow(TypeError);
    expect(() => (native.reap as (pid: unknown) => unknown)('1')).toThrow(TypeError);
  });
});
