// Relayed terminals, as a user meets them: `exec -t` and `run` of a process.terminal
// bundle without --console-socket, typed at from a real terminal (a detached tmux
// session). As with runc the process gets a pty of its own in the container's devpts, and
// lxcri relays between it and its own terminal, which is raw meanwhile and cooked after.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env, LAUNCHER, MAIN, makeBundle, reachableLibexec, waitFor, withArgs } from '../helpers/lxcri.js';

// The server's socket in the test's own dir (removed with it), not in /tmp/tmux-0.
let socket = '';

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args[0]} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

const screen = (): string => tmux('capture-pane', '-p', '-t', 'T');
const type = (line: string): void => void tmux('send-keys', '-t', 'T', line, 'Enter');

async function see(re: RegExp, what: string, timeoutMs = 10_000): Promise<string> {
  let s = '';
  try {
    await waitFor(() => re.test((s = screen())), timeoutMs, what);
  } catch (err) {
    throw new Error(`${(err as Error).message}; the screen:\n${s}`);
  }
  return s;
}

async function fileSays(file: string, what: string): Promise<string> {
  await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').endsWith('\n'), 10_000, what);
  return readFileSync(file, 'utf8');
}

let env: Env;
let lx: string;

beforeAll(() => {
  env = new Env();
  socket = join(env.dir, 'tmux.sock');
  // The tree's CLI under the test's root, for the shell in tmux.
  lx = join(env.dir, 'lx');
  const vars = { LXCRI_MAIN: MAIN, ...reachableLibexec() };
  const assign = Object.entries(vars).map(([k, v]) => `${k}='${v}'`).join(' ');
  writeFileSync(lx, `#!/bin/sh\n${assign} exec '${LAUNCHER}' ${env.globals().map((g) => `'${g}'`).join(' ')} "$@"\n`);
  chmodSync(lx, 0o755);
  tmux('new-session', '-d', '-s', 'T', '-x', '100', '-y', '30', 'env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin TERM=screen PS1="host$ " /bin/sh');
});

afterAll(async () => {
  spawnSync('tmux', ['-S', socket, 'kill-server']);
  await env.cleanup();
});

/** The host shell's terminal settings, once lxcri has returned. */
async function hostStty(tag: string): Promise<string> {
  const file = join(env.dir, `stty-${tag}`);
  type(`stty -a > ${file}; echo done >> ${file}`);
  return fileSays(file, 'stty -a of the host shell');
}

describe('relayed terminal', () => {
  const ID = 'tm-relay';
  beforeAll(async () => {
    const bundle = makeBundle(env, ID, withArgs('sleep', '600'));
    expect((await env.run(['create', '--bundle', bundle, ID])).code).toBe(0);
    expect((await env.run(['start', ID])).code).toBe(0);
  }, 60_000);

  it('exec -t from a terminal: its own pty, sized and resized, Ctrl-C, job control, exit code, terminal restored', async () => {
    const rc = join(env.dir, 'exec.rc');
    type(`clear; ${lx} exec -t ${ID} sh; echo rc=$? > ${rc}`);
    await see(/^\/ #\s*$/m, 'the container shell');
    type('tty; stty size; set -o | grep monitor');
    await see(/^\/dev\/pts\/\d+\n30 100\nmonitor\s+on\s*$/m, 'tty, size and job control');
    tmux('resize-window', '-t', 'T', '-x', '80', '-y', '20');
    type('clear; stty size');
    await see(/^20 80$/m, 'the new size');
    // Ctrl-C reaches the foreground job through the pty (the host terminal is raw); the
    // shell survives: without it the marker would wait for sleep's 100 s.
    type('sleep 100');
    await new Promise((r) => setTimeout(r, 500));
    tmux('send-keys', '-t', 'T', 'C-c');
    type('clear; echo alive-$((6*7))');
    await see(/^alive-42$/m, 'the shell after Ctrl-C', 5000);
    type('sleep 100 & jobs');
    await see(/Running\s+sleep 100/, 'a background job');
    expect(existsSync(rc)).toBe(false);
    type('exit 3');
    expect(await fileSays(rc, 'exec to return')).toBe('rc=3\n');
    const stty = await hostStty('exec');
    expect(stty).toMatch(/(^|\s)icanon(\s|$)/);
    expect(stty).toMatch(/(^|\s)echo(\s|$)/);
  }, 60_000);

  it('exec -t killed by SIGTERM: the host terminal is cooked again, the process is hung up', async () => {
    const rc = join(env.dir, 'term.rc');
    type(`clear; ${lx} exec -t ${ID} sleep 101; echo rc=$? > ${rc}`);
    const lxcriPid = (): number[] => {
      const r = spawnSync('pgrep', ['-f', `exec -t ${ID} sleep 101`], { encoding: 'utf8' });
      return r.stdout.split('\n').filter(Boolean).map(Number);
    };
    await waitFor(() => lxcriPid().length === 1 && spawnSync('pgrep', ['-x', '-f', 'sleep 101']).status === 0, 10_000, 'exec and its sleep');
    process.kill(lxcriPid()[0]!, 'SIGTERM');
    expect(await fileSays(rc, 'exec to end')).toBe('rc=143\n');
    expect(await hostStty('term')).toMatch(/(^|\s)icanon(\s|$)/);
    // Its pty's master is closed: the kernel hangs up the session it leads.
    await waitFor(() => spawnSync('pgrep', ['-x', '-f', 'sleep 101']).status !== 0, 10_000, 'the hung-up sleep to end');
  }, 30_000);

  it('exec -t with pipes for stdio (no terminal of lxcri): the process still gets a pty', async () => {
    const r = await env.run(['exec', '-t', ID, 'sh', '-c', 'tty; read -r a b c d e f g rest < /proc/$$/stat; echo "ctty=$g"; exit 4']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^\/dev\/pts\/\d+\r\nctty=[1-9]\d*\r\n$/);
  });

  it('exec -t: what the process writes right before it exits is all there', async () => {
    const r = await env.run(['exec', '-t', ID, 'sh', '-c', 'seq 1 20000; exit 0']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\r\n');
    expect(lines.length).toBe(20001);
    expect(lines.at(-2)).toBe('20000');
  });
});

it('run of a process.terminal bundle from a terminal: the pty is /dev/pts/N, the exit code passes through', async () => {
  const id = 'tm-run';
  const bundle = makeBundle(env, id, (s) => {
    withArgs('sh')(s);
    s.process!.terminal = true;
  });
  tmux('resize-window', '-t', 'T', '-x', '100', '-y', '30');
  const rc = join(env.dir, 'run.rc');
  type(`clear; ${lx} run --bundle ${bundle} ${id}; echo rc=$? > ${rc}`);
  await see(/^\/ #\s*$/m, 'the container shell');
  type('tty; stty size; [ /dev/console -ef "$(tty)" ] && echo console=tty');
  await see(/^\/dev\/pts\/\d+\n30 100\nconsole=tty\s*$/m, 'tty, size and /dev/console');
  type('exit 7');
  expect(await fileSays(rc, 'run to return')).toBe('rc=7\n');
  const stty = await hostStty('run');
  expect(stty).toMatch(/(^|\s)icanon(\s|$)/);
  expect((await env.run(['state', id])).code).toBe(1);
}, 60_000);
