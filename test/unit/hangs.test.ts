// Unit side of issue 14 items 8 to 10: short socket paths, IDs, bounded reads of named
// files, wait statuses in words, and timeouts that fit Node's timers.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/cli/settings.js';
import { runtimeConfig } from '../../src/runtime/config.js';
import { checkId } from '../../src/runtime/id.js';
import { watchInitDeath, zombieStatus } from '../../src/runtime/initdeath.js';
import { describeWaitStatus } from '../../src/runtime/signals.js';
import { readRegularFile } from '../../src/runtime/regularfile.js';
import { listenShort } from '../../src/runtime/shortsock.js';
import { checkHooks } from '../../src/spec/hooks.js';

const dir = mkdtempSync(join(tmpdir(), 'lxcri-hng-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('listenShort (item 8)', () => {
  it('listens on a path far beyond sun_path and removes the socket on close', async () => {
    const deep = join(dir, 'd'.repeat(200));
    mkdirSync(deep);
    const path = join(deep, 'notify');
    let receive!: (s: string) => void;
    const received = new Promise<string>((res) => (receive = res));
    const server = createServer((s) => {
      let data = '';
      s.on('data', (d) => (data += String(d)));
      s.on('end', () => receive(data));
    });
    const l = await listenShort(server, path);
    expect(readdirSync(deep)).toEqual(['notify']);
    // A client reaches it through a short path of its own, as the C helpers do.
    const dirFd = openSync(deep, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      const c = createConnection(`/proc/self/fd/${dirFd}/notify`);
      await new Promise<void>((res, rej) => c.once('connect', res).once('error', rej));
      c.end('ok\n');
      expect(await received).toBe('ok\n');
    } finally {
      closeSync(dirFd);
    }
    l.close();
    expect(readdirSync(deep)).toEqual([]);
  });
});

describe('checkId (item 8)', () => {
  it('takes up to 254 characters and names the limit beyond', () => {
    expect(() => checkId(`a${'b'.repeat(253)}`)).not.toThrow();
    expect(() => checkId(`a${'b'.repeat(254)}`)).toThrow(/^invalid container ID "ab{63}\.\.\." \(255 characters\): at most 254, as liblxc's lock file "\.<id>" must fit a 255-byte file name$/);
  });
  it('shows a bad ID on one line', () => {
    expect(() => checkId('a\nb')).toThrow(/^invalid container ID "a\\nb": use letters/);
  });
});

describe('readRegularFile (item 9)', () => {
  it('reads a regular file', () => {
    writeFileSync(join(dir, 'env'), 'A=1\n');
    expect(readRegularFile(join(dir, 'env'), 100)).toBe('A=1\n');
  });
  it('refuses /dev/zero, a FIFO and a directory without blocking', () => {
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    for (const p of ['/dev/zero', join(dir, 'fifo'), dir]) expect(() => readRegularFile(p, 100)).toThrow(/^not a regular file$/);
  });
  it('refuses a file over the bound', () => {
    writeFileSync(join(dir, 'big'), 'x'.repeat(101));
    expect(() => readRegularFile(join(dir, 'big'), 100)).toThrow(/^larger than 100 bytes$/);
  });
});

describe('init death (item 9)', () => {
  it('describes wait statuses', () => {
    expect(describeWaitStatus(9)).toBe('killed by signal 9 (SIGKILL)');
    expect(describeWaitStatus(11 | 0x80)).toBe('killed by signal 11 (SIGSEGV)');
    expect(describeWaitStatus(3 << 8)).toBe('exit status 3');
  });
  it('reports a child its parent never reaps, after it stayed a zombie', async () => {
    // sh forks a child that is killed, then becomes sleep, which never reaps it.
    const p = spawn('sh', ['-c', 'sleep 60 & kill -9 $!; exec sleep 30'], { stdio: 'ignore' });
    try {
      const w = watchInitDeath(p.pid!, 300, 20);
      const began = Date.now();
      const death = await Promise.race([w.died, new Promise<undefined>((r) => setTimeout(r, 5000))]);
      w.stop();
      expect(death?.how).toBe('killed by signal 9 (SIGKILL)');
      expect(Date.now() - began).toBeGreaterThanOrEqual(250);
    } finally {
      p.kill('SIGKILL');
    }
  });
  it('does not report a child its parent reaps', async () => {
    const p = spawn('sh', ['-c', 'for i in 1 2 3 4 5 6 7 8; do /bin/true; sleep 0.1; done; sleep 30'], { stdio: 'ignore' });
    try {
      const w = watchInitDeath(p.pid!, 300, 20);
      const death = await Promise.race([w.died, new Promise<undefined>((r) => setTimeout(r, 1500))]);
      w.stop();
      expect(death).toBeUndefined();
    } finally {
      p.kill('SIGKILL');
    }
  });
  it('tells a live process from a zombie', () => {
    expect(zombieStatus(process.pid)).toBeUndefined();
    expect(zombieStatus(2 ** 22 + 1)).toBeUndefined();
  });
});

describe('timeouts (item 10)', () => {
  it('settings refuse seconds beyond 2^31-1 ms', () => {
    expect(resolveSettings({}, { LXCRI_CREATE_TIMEOUT: '2147483' }, {}, 'f').createTimeout).toBe(2147483);
    for (const v of ['2147484', '1e10', 'Infinity', 'NaN']) {
      expect(() => resolveSettings({}, { LXCRI_CREATE_TIMEOUT: v }, {}, 'f')).toThrow(/^LXCRI_CREATE_TIMEOUT: ".*" is (more than 2147483 seconds|not a positive number)/);
    }
  });
  it('hook timeouts beyond 2147483 s are invalid', () => {
    expect(() => checkHooks({ prestart: [{ path: '/bin/true', timeout: 2147483 }] })).not.toThrow();
    expect(() => checkHooks({ poststop: [{ path: '/bin/true', timeout: 2 ** 53 }] })).toThrow(/hooks\.poststop\[0\]\.timeout 9007199254740992 is more than 2147483 seconds/);
  });
  it("the library's timeouts are checked", () => {
    expect(runtimeConfig({ timeouts: { create: 2 ** 31 - 1 } }).timeouts.create).toBe(2 ** 31 - 1);
    for (const v of [2 ** 31, Infinity, NaN, 0, -1]) {
      expect(() => runtimeConfig({ timeouts: { start: v } })).toThrow(/^timeouts\.start .*: must be more than 0 and at most 2147483647 milliseconds$/);
    }
  });
});
