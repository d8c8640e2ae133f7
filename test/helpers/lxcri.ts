// Test helpers: run the lxcri CLI of the build tree against a private root, make bundles
// from the busybox rootfs, and look for anything a container left behind.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdtempSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Spec, State } from '../../src/spec/types.js';
import { HELPERS } from '../../src/base/location.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const LAUNCHER = join(REPO, 'libexec/lxcri-launch');
export const MAIN = join(REPO, 'dist/lxcri.cjs');

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A private runtime root and log file, removed by cleanup(). */
export class Env {
  readonly dir = mkdtempSync(join(tmpdir(), 'lxcri-test-'));
  readonly root = join('/run', `lxcri-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  readonly logFile = join(this.dir, 'lxcri.log');

  globals(): string[] {
    return ['--root', this.root, '--log-file', this.logFile];
  }

  /** Run lxcri and collect its output (the container's output too when it inherits stdio). */
  run(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; stdoutFile?: string; cwd?: string } = {}): Promise<Result> {
    return runCmd(LAUNCHER, [...this.globals(), ...args], {
      // A test's root lives for seconds: so does the service bin/lxcri starts for it.
      env: { LXCRI_SERVICE_IDLE: '2', ...process.env, LXCRI_MAIN: MAIN, ...reachableLibexec(), ...opts.env },
      input: opts.input,
      timeoutMs: opts.timeoutMs,
      stdoutFile: opts.stdoutFile,
      cwd: opts.cwd,
    });
  }

  async state(id: string): Promise<State> {
    const r = await this.run(['state', id]);
    if (r.code !== 0) throw new Error(`state ${id} failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as State;
  }

  /** liblxc's lock directory of this root (delete removes the containers' files in it). */
  get lockDir(): string {
    return lockDirOf(this.root);
  }

  async cleanup(): Promise<void> {
    if (existsSync(this.root)) {
      for (const id of containerIds(this.root)) await this.run(['delete', '--force', id]);
      rmSync(this.root, { recursive: true, force: true });
    }
    rmSync(this.lockDir, { recursive: true, force: true });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The entries of a root dir that are containers (the service's socket and locks are dot files). */
export const containerIds = (root: string): string[] => readdirSync(root).filter((n) => !n.startsWith('.'));

/** liblxc's lock directory of an lxcpath, which outlives its containers: tests remove it with their root. */
export const lockDirOf = (lxcpath: string): string => join('/run/lxc/lock', lxcpath);

/** A refusal as every command gives one: a non-zero exit (not the test's timeout), one stderr line matching `pattern`. */
export function expectOneLineError(r: Result, pattern: RegExp): void {
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.code, 'killed by the test timeout').not.toBeNull();
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

/** PIDs of the processes whose command line (argv) matches. */
export function processesWhere(match: (argv: string[]) => boolean): number[] {
  const pids: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (match(readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0'))) pids.push(Number(e));
    } catch {
      /* gone */
    }
  }
  return pids;
}

/** lxcri-start processes of container `id` under `root`: the monitor and its children that have not exec'd yet. */
export function monitorsOf(root: string, id: string): number[] {
  return processesWhere((argv) => argv[0]!.endsWith('lxcri-start') && argv[1] === id && argv[2] === root).filter(pidAlive);
}

let outSeq = 0;

let libexecCopy: string | undefined;

/**
 * A user-namespaced container's mapped root runs lxcri-init and lxcri-hook from the
 * helpers' directory (src/lxc/helperreach.ts). A tree under /root (0700), or a CI clone in
 * a private temp dir, keeps it out: then the tree's helpers are run from a copy in a
 * traversable temp dir (the same binaries; the product refuses such a layout by name).
 */
export function reachableLibexec(): { LXCRI_LIBEXEC?: string } {
  for (let d = join(REPO, 'libexec'); d !== dirname(d); d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) {
      if (!libexecCopy) {
        libexecCopy = mkdtempSync(join(scratch(), 'lxcri-test-libexec-'));
        chmodSync(libexecCopy, 0o755);
        for (const h of HELPERS) copyFileSync(join(REPO, 'libexec', h), join(libexecCopy, h));
        for (const h of HELPERS) chmodSync(join(libexecCopy, h), 0o755);
        process.once('exit', () => rmSync(libexecCopy!, { recursive: true, force: true }));
      }
      return { LXCRI_LIBEXEC: libexecCopy };
    }
  }
  return {};
}

/**
 * Run a command with stdout/stderr in files, not pipes: a container inherits create's
 * stdio and would hold pipes open for its whole life. Resolves when the command exits;
 * `stdout`/`stderr` are what it (and its container, so far) wrote.
 */
export function runCmd(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; stdoutFile?: string; cwd?: string } = {},
): Promise<Result> {
  const base = join(tmpdir(), `lxcri-test-out-${process.pid}-${outSeq++}`);
  const outFile = opts.stdoutFile ?? `${base}.out`;
  const outFd = openSync(outFile, 'w+');
  const errFd = openSync(`${base}.err`, 'w+');
  return new Promise((res, rej) => {
    const p = spawn(cmd, args, { env: opts.env, cwd: opts.cwd, stdio: [opts.input === undefined ? 'ignore' : 'pipe', outFd, errFd] });
    const t = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    p.on('error', rej);
    p.on('exit', (code, signal) => {
      clearTimeout(t);
      const read = (fd: number, f: string, keep: boolean): string => {
        closeSync(fd);
        const text = readFileSync(f, 'utf8');
        if (!keep) rmSync(f, { force: true });
        return text;
      };
      res({ code, signal, stdout: read(outFd, outFile, !!opts.stdoutFile), stderr: read(errFd, `${base}.err`, false) });
    });
    if (opts.input !== undefined) {
      // A command may stop reading before the end (a bounded read): not the test's error.
      p.stdin?.on('error', () => undefined);
      p.stdin?.end(opts.input);
    }
  });
}

let sharedRootfs: string | undefined;

/** The run's scratch directory (test/helpers/globalsetup.ts), removed after the run. */
function scratch(): string {
  return process.env.LXCRI_TEST_SCRATCH ?? tmpdir();
}

/** One busybox rootfs for all bundles of a test run (containers may share it). */
export function busyboxRootfs(): string {
  if (!sharedRootfs) {
    const dir = join(scratch(), `lxcri-test-rootfs-${process.pid}`);
    if (!existsSync(join(dir, 'bin/busybox'))) {
      const r = spawnSync(join(REPO, 'scripts/mkrootfs.sh'), [dir], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`mkrootfs failed: ${r.stderr}`);
    }
    sharedRootfs = dir;
  }
  return sharedRootfs;
}

/** A private copy of the busybox rootfs in env's directory, for a test that changes it. */
export function rootfsCopy(env: Env, name: string): string {
  const dir = join(env.dir, `rootfs-${name}`);
  const r = spawnSync('cp', ['-a', busyboxRootfs(), dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cp: ${r.stderr}`);
  return dir;
}

export function sampleSpec(): Spec {
  return JSON.parse(readFileSync(join(REPO, 'examples/busybox/config.json'), 'utf8')) as Spec;
}

/** A bundle dir with config.json from `edit(sampleSpec)` and root.path = the shared rootfs. */
export function makeBundle(env: Env, name: string, edit: (s: Spec) => void = () => undefined, raw?: string): string {
  const dir = join(env.dir, name);
  mkdirSync(dir, { recursive: true });
  const spec = sampleSpec();
  spec.root = { path: busyboxRootfs(), readonly: true };
  edit(spec);
  writeFileSync(join(dir, 'config.json'), raw ?? JSON.stringify(spec, null, 2));
  return dir;
}

export const withArgs = (...args: string[]) => (s: Spec): void => {
  s.process!.args = args;
};

export function pidAlive(pid: number): boolean {
  try {
    const st = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = st.slice(st.lastIndexOf(')') + 2, st.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** cgroup2 and v1 mount points, from mountinfo. */
export function cgroupRoots(): string[] {
  const out: string[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const f = line.slice(0, sep).split(' ');
    const type = line.slice(sep + 3).split(' ')[0];
    if ((type === 'cgroup' || type === 'cgroup2') && f[3] === '/') out.push(f[4]!);
  }
  return out;
}

/** Everything a container could leave behind, as human-readable strings (empty = clean). */
export function leftovers(env: Env, id: string, pids: number[] = []): string[] {
  const found: string[] = [];
  if (existsSync(join(env.root, id))) found.push(`runtime dir ${join(env.root, id)}`);
  for (const root of cgroupRoots()) {
    for (const rel of [`lxcri/${id}`, `lxcri-monitor.slice/${id}.scope`]) {
      if (existsSync(join(root, rel))) found.push(`cgroup ${join(root, rel)}`);
    }
  }
  for (const pid of pids) if (pid > 0 && pidAlive(pid)) found.push(`process ${pid}`);
  const mi = readFileSync('/proc/self/mountinfo', 'utf8');
  if (mi.includes(join(env.root, id))) found.push('mount of the runtime dir');
  return found;
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
