// The pure cgroup v2 VM runner (test/cgroup2-vm/run) on the host: what the guest's command
// sees, how its status comes back, and that a run leaves nothing behind. Every case but
// the refused ones boots a real guest (a few seconds under TCG).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/lxcri.js';

const RUN = join(REPO, 'test/cgroup2-vm/run');
const T = 300_000;
const root = process.getuid?.() === 0;
const dir = mkdtempSync(join(tmpdir(), 'vm-runner-'));
// The runner's own temporary directories go here, so "nothing left" can be checked.
const runTmp = join(dir, 'tmp');
mkdirSync(runTmp);

interface VmResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * The runner as another user can reach it: a clone in a private directory (CI's, or one
 * under /root) keeps the tree's copy out of an unprivileged caller's reach.
 */
function reachableRun(): string {
  chmodSync(dir, 0o755);
  const copy = join(dir, 'run');
  copyFileSync(RUN, copy);
  chmodSync(copy, 0o755);
  return copy;
}

function vm(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; uid?: number } = {}): Promise<VmResult> {
  const started = Date.now();
  return new Promise((res, rej) => {
    const p = spawn(opts.uid === undefined ? RUN : reachableRun(), args, {
      cwd: opts.cwd ?? dir,
      env: { ...process.env, TMPDIR: runTmp, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      uid: opts.uid,
      gid: opts.uid,
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', rej);
    p.on('close', (code) => res({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/** Processes whose command line names the runner's temporary directory. */
function runnerProcesses(): string[] {
  const r = spawnSync('pgrep', ['-a', '-f', runTmp], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l !== '');
}

/** virtiofsd's pid files for sockets under the runner's temporary directory. */
function virtiofsdPidFiles(): string[] {
  const prefix = runTmp.replaceAll('/', '.');
  return existsSync('/run/virtiofsd') ? readdirSync('/run/virtiofsd').filter((f) => f.startsWith(prefix)) : [];
}

afterEach(() => {
  expect(readdirSync(runTmp)).toEqual([]);
  expect(runnerProcesses()).toEqual([]);
  expect(virtiofsdPidFiles()).toEqual([]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!root)('cgroup2-vm runner', () => {
  it('exits with the command status, after all of its output', { timeout: T }, async () => {
    const r = await vm(['--', 'sh', '-c', 'seq 1 100000; seq 1 1000 >&2; exit 7']);
    expect(r.code).toBe(7);
    const seq = (n: number): string => Array.from({ length: n }, (_, i) => `${i + 1}\n`).join('');
    expect(r.stdout === seq(100_000)).toBe(true);
    expect(r.stderr === seq(1000)).toBe(true);
  });

  it('gives the command a pure cgroup v2 host, the caller cwd and env, a read-only host root', { timeout: T }, async () => {
    const work = mkdtempSync(join(dir, 'work-'));
    const probe = `/usr/vm-runner-probe-${process.pid}`;
    const script = [
      'echo "controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"',
      'echo "subtree: $(cat /sys/fs/cgroup/cgroup.subtree_control)"',
      'echo "cgroup: $(cat /proc/self/cgroup)"',
      'echo "cwd: $(pwd)"',
      'echo "env: $VM_RUNNER_PROBE"',
      'echo "stdin: $(readlink /proc/self/fd/0)"',
      `touch ${probe} && echo "root write: ok"`,
      // The share itself, mounted again read-write: the host refuses the write.
      'mkdir /run/share && mount -t virtiofs root /run/share && mount -o remount,rw /run/share &&',
      `  { touch /run/share${probe} 2>/dev/null || echo "share write: refused"; }`,
      'echo guest >written-in-guest',
      'echo "to stderr" >&2',
    ].join('\n');
    const r = await vm(['--', 'sh', '-c', script], { cwd: work, env: { VM_RUNNER_PROBE: 'a b\nc' } });
    expect(r.stderr).toBe('to stderr\n');
    expect(r.code).toBe(0);
    const line = (k: string): string => new RegExp(`^${k}: (.*)$`, 'm').exec(r.stdout)?.[1] ?? '';
    for (const k of ['controllers', 'subtree']) {
      expect(line(k).split(' ')).toEqual(expect.arrayContaining(['cpu', 'io', 'memory', 'pids']));
    }
    expect(line('cgroup')).toBe('0::/');
    expect(line('cwd')).toBe(work);
    expect(r.stdout).toContain('env: a b\nc\n');
    expect(line('stdin')).toBe('/dev/null');
    // The guest may write under / (into its overlay), the host never sees it: its share is
    // read-only on the host side. The shared cwd is the host's.
    expect(line('root write')).toBe('ok');
    expect(line('share write')).toBe('refused');
    expect(existsSync(probe)).toBe(false);
    expect(readFileSync(join(work, 'written-in-guest'), 'utf8')).toBe('guest\n');
  });

  it('exits 128+N when signal N killed the command', { timeout: T }, async () => {
    const r = await vm(['--', 'sh', '-c', 'kill -TERM $$']);
    expect(r.code).toBe(143);
  });

  it('kills the guest at --timeout and exits 124', { timeout: T }, async () => {
    const r = await vm(['--timeout', '2', '--', 'sleep', '600']);
    expect(r.code).toBe(124);
    expect(r.stderr).toMatch(/^cgroup2-vm: timed out after 2s/);
    expect(r.ms).toBeLessThan(30_000);
  });

  it('exits 125 with the console tail when the guest dies before reporting', { timeout: T }, async () => {
    // No such init in the initramfs: the kernel panics and qemu exits.
    const r = await vm(['--append', 'rdinit=/nonexistent', '--', 'true']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/^cgroup2-vm: the guest ended without reporting/);
    expect(r.stderr).toMatch(/Kernel panic/);
  });

  it('refuses a caller that is not root, with exit 3 and one line', { timeout: T }, async () => {
    const r = await vm(['--', 'true'], { uid: 65534, cwd: '/' });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('cgroup2-vm: must run as root (virtiofsd and its private mount namespace need it)\n');
  });

  it('names the Debian package when qemu is missing, with exit 3', { timeout: T }, async () => {
    // A PATH with every host tool but qemu-system-x86_64.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const d of ['/usr/sbin', '/usr/bin']) {
      for (const f of readdirSync(d)) {
        if (f !== 'qemu-system-x86_64' && !existsSync(join(bin, f))) symlinkSync(join(d, f), join(bin, f));
      }
    }
    const r = await vm(['--', 'true'], { env: { PATH: bin } });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('cgroup2-vm: qemu-system-x86_64 not found (Debian package qemu-system-x86)\n');
  });

  it('refuses bad usage with exit 2 and one line', { timeout: T }, async () => {
    for (const args of [[], ['--mem', '2X', '--', 'true'], ['--timeout', 'soon', '--', 'true'], ['--bogus'], ['--', 'A=b']]) {
      const r = await vm(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^cgroup2-vm: [^\n]+\n$/);
    }
  });
});
