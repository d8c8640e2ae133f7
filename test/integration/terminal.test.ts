// Terminals (--console-socket, process.terminal, process.consoleSize) and --preserve-fds,
// for create and exec. The manager's side is a Python helper: Node cannot receive fds.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env, LAUNCHER, leftovers, MAIN, makeBundle, waitFor, withArgs } from '../helpers/lxcri.js';
import type { Process } from '../../src/spec/types.js';

// Usage: console.py SOCKET OUT JSON-ARGV-LIST. Becomes a child subreaper, listens on
// SOCKET, runs the first command and receives the pty master from it (one message, one
// fd), runs the other commands one after the other, reads the master until every slave
// is closed, then reaps every orphan left to it (the monitor, a detached exec process).
// OUT gets JSON: the payload, the number of fds, the terminal's output, the commands'
// exit codes and stderr, the orphans' wait statuses decoded as shell exit codes.
const HELPER = `
import ctypes, json, os, select, socket, subprocess, sys, time
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(36, 1, 0, 0, 0) != 0:
    raise OSError(ctypes.get_errno(), 'PR_SET_CHILD_SUBREAPER')
sock_path, out_path, cmds = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(sock_path)
srv.listen(1)
result = {'payload': None, 'nfds': 0, 'output': '', 'codes': [], 'stderr': [], 'orphans': []}
first = subprocess.Popen(cmds[0], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
srv.settimeout(30)
master = None
try:
    conn, _ = srv.accept()
    msg, fds, _, _ = socket.recv_fds(conn, 4096, 4)
    result['payload'] = msg.decode()
    result['nfds'] = len(fds)
    master = fds[0] if fds else None
except socket.timeout:
    pass
procs = [first]
for argv in cmds[1:]:
    procs.append(subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    procs[-1].wait()
out = b''
end = time.time() + 30
while master is not None and time.time() < end:
    r, _, _ = select.select([master], [], [], 1)
    if not r:
        continue
    try:
        b = os.read(master, 4096)
    except OSError:
        break
    if not b:
        break
    out += b
result['output'] = out.decode(errors='replace')
for p in procs:
    _, err = p.communicate()
    result['codes'].append(p.returncode)
    result['stderr'].append(err.decode(errors='replace'))
while True:
    try:
        pid, status = os.waitpid(-1, 0)
    except ChildProcessError:
        break
    result['orphans'].append(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
with open(out_path, 'w') as f:
    json.dump(result, f)
`;

interface Received {
  payload: string | null;
  nfds: number;
  output: string;
  codes: number[];
  stderr: string[];
  orphans: number[];
}

let env: Env;
let seq = 0;

beforeAll(() => {
  env = new Env();
  writeFileSync(join(env.dir, 'console.py'), HELPER);
});

afterAll(async () => {
  await env.cleanup();
});

const lxcri = (...args: string[]): string[] => [LAUNCHER, ...env.globals(), ...args];

/**
 * Runs the commands under the helper; `{SOCK}` in an argument is the socket path. The
 * root's lxcri service runs first: one started from under the helper would be its orphan
 * too (as under conmon, see K8S.md), and the helper waits for every orphan.
 */
async function manage(cmds: string[][]): Promise<Received> {
  // (mode on: a client starts no service for a root that does not exist yet, unless asked)
  if (process.env.LXCRI_SERVICE !== 'off') await env.run(['list', '-q'], { env: { LXCRI_SERVICE: 'on' } });
  const n = ++seq;
  const sock = join(env.dir, `console-${n}.sock`);
  const out = join(env.dir, `console-${n}.json`);
  const argv = cmds.map((c) => c.map((a) => (a === '{SOCK}' ? sock : a)));
  return new Promise((res, rej) => {
    const child = spawn('python3', [join(env.dir, 'console.py'), sock, out, JSON.stringify(argv)], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, LXCRI_MAIN: MAIN },
    });
    child.once('error', rej);
    child.once('exit', (code) => {
      if (code !== 0) rej(new Error(`console helper exited with ${code}`));
      else res(JSON.parse(readFileSync(out, 'utf8')) as Received);
    });
  });
}

// tty_nr (field 7 of /proc/PID/stat) is the controlling terminal; 0 = none.
const SHOW_TTY = 'tty; stty size; read -r a b c d e f g rest < /proc/$$/stat; echo "ctty=$g"';

describe('terminal', () => {
  it('create --console-socket: the init has the pty as stdio and controlling terminal, sized', async () => {
    const bundle = makeBundle(env, 'tty1', (s) => {
      withArgs('sh', '-c', `${SHOW_TTY}; [ /dev/console -ef "$(tty)" ] && echo console=tty; exit 5`)(s);
      s.process!.terminal = true;
      s.process!.consoleSize = { height: 30, width: 120 };
    });
    const r = await manage([lxcri('create', '--bundle', bundle, '--console-socket', '{SOCK}', 'tty1'), lxcri('start', 'tty1')]);
    expect(r.stderr).toEqual(['', '']);
    expect(r.codes).toEqual([0, 0]);
    expect(r.nfds).toBe(1);
    expect(r.payload).toMatch(/^\/dev\/pts\/\d+$/);
    // As runc: the init made the pty in the container's own devpts, so tty names it.
    // The same terminal is /dev/console.
    expect(r.output).toMatch(new RegExp(`^${r.payload}\\r\\n30 120\\r\\nctty=[1-9]\\d*\\r\\nconsole=tty\\r\\n$`));
    // The monitor, orphaned to the helper, ends with the container's exit status.
    expect(r.orphans).toContain(5);
    await env.run(['delete', '--force', 'tty1']);
  });

  it('run --detach --console-socket: the master goes to the socket before run returns, the process runs', async () => {
    const bundle = makeBundle(env, 'cli-rtty', (s) => {
      withArgs('sh', '-c', `${SHOW_TTY}; exit 6`)(s);
      s.process!.terminal = true;
      s.process!.consoleSize = { height: 25, width: 100 };
    });
    const pidFile = join(env.dir, 'cli-rtty.pid');
    const r = await manage([lxcri('run', '--detach', '--pid-file', pidFile, '--console-socket', '{SOCK}', '--bundle', bundle, 'cli-rtty')]);
    expect(r.stderr).toEqual(['']);
    expect(r.codes).toEqual([0]);
    expect(r.nfds).toBe(1);
    expect(r.payload).toMatch(/^\/dev\/pts\/\d+$/);
    expect(r.output).toMatch(new RegExp(`^${r.payload}\\r\\n25 100\\r\\nctty=[1-9]\\d*\\r\\n$`));
    // The pid file's process (the monitor) was orphaned to the helper with the exit status.
    expect(Number(readFileSync(pidFile, 'utf8'))).toBeGreaterThan(0);
    expect(r.orphans).toContain(6);
    expect((await env.run(['delete', '--force', 'cli-rtty'])).code).toBe(0);
  });

  it('refuses process.terminal without --console-socket, and the other way round', async () => {
    const tty = makeBundle(env, 'tty2', (s) => {
      s.process!.terminal = true;
    });
    const a = await env.run(['create', '--bundle', tty, 'tty2']);
    expect(a.code).toBe(1);
    expect(a.stderr).toBe('lxcri: process.terminal needs --console-socket\n');
    const plain = makeBundle(env, 'tty3');
    const b = await env.run(['create', '--bundle', plain, '--console-socket', join(env.dir, 'none.sock'), 'tty3']);
    expect(b.code).toBe(1);
    expect(b.stderr).toBe('lxcri: --console-socket needs process.terminal: true\n');
  });

  it('refuses a terminal in a container without a devpts at /dev/pts, in one line, leaving nothing', async () => {
    const bundle = makeBundle(env, 'tm-nopts', (s) => {
      s.process!.terminal = true;
      s.mounts = s.mounts!.filter((m) => m.destination !== '/dev/pts');
    });
    const r = await env.run(['create', '--bundle', bundle, '--console-socket', join(env.dir, 'nopts.sock'), 'tm-nopts']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('lxcri: lxcri-init: open /dev/pts/ptmx (process.terminal needs a devpts mount at /dev/pts): No such file or directory\n');
    expect((await env.run(['state', 'tm-nopts'])).code).toBe(1);
    expect(leftovers(env, 'tm-nopts')).toEqual([]);
  });

  describe('exec', () => {
    const ID = 'ttyexec';
    beforeAll(async () => {
      const bundle = makeBundle(env, ID, withArgs('sleep', '600'));
      expect((await env.run(['create', '--bundle', bundle, ID])).code).toBe(0);
      expect((await env.run(['start', ID])).code).toBe(0);
    }, 60_000);

    it('exec --tty --console-socket in the foreground: exit code and a controlling terminal', async () => {
      const r = await manage([lxcri('exec', '--tty', '--console-socket', '{SOCK}', ID, 'sh', '-c', `${SHOW_TTY}; exit 4`)]);
      expect(r.stderr).toEqual(['']);
      expect(r.codes).toEqual([4]);
      expect(r.nfds).toBe(1);
      // The pty is made in the container's own devpts, so its name (the payload) resolves
      // inside. No consoleSize leaves it at 0x0, which busybox's stty size refuses.
      expect(r.payload).toMatch(/^\/dev\/pts\/\d+$/);
      expect(r.output).toMatch(new RegExp(`^${r.payload}\\r\\n[^\\r]*\\r\\nctty=[1-9]\\d*\\r\\n$`));
    });

    it('exec --detach --process with terminal and consoleSize: sized, reaped by the caller', async () => {
      const p: Process = {
        terminal: true,
        consoleSize: { height: 40, width: 100 },
        user: { uid: 0, gid: 0 },
        cwd: '/',
        args: ['sh', '-c', `${SHOW_TTY}; exit 6`],
        env: ['PATH=/bin:/usr/bin'],
      };
      const file = join(env.dir, 'tty-process.json');
      writeFileSync(file, JSON.stringify(p));
      const pidFile = join(env.dir, 'tty-exec.pid');
      const r = await manage([lxcri('exec', '--detach', '--pid-file', pidFile, '--console-socket', '{SOCK}', '--process', file, ID)]);
      expect(r.stderr).toEqual(['']);
      expect(r.codes).toEqual([0]);
      expect(r.output).toMatch(/40 100\r\nctty=[1-9]\d*\r\n$/);
      expect(r.orphans).toEqual([6]);
      expect(Number(readFileSync(pidFile, 'utf8'))).toBeGreaterThan(0);
    });

    it('exec --preserve-fds 1: fd 3 reaches the process, nothing above it', () => {
      const data = join(env.dir, 'fd3-exec.txt');
      writeFileSync(data, 'exec fd three\n');
      const fd = openSync(data, 'r');
      try {
        const r = spawnSync(LAUNCHER, [...env.globals(), 'exec', '--preserve-fds', '1', ID, 'sh', '-c', 'cat <&3; ls /proc/self/fd'], {
          stdio: ['ignore', 'pipe', 'pipe', fd],
          env: { ...process.env, LXCRI_MAIN: MAIN },
          encoding: 'utf8',
        });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        // 0-2, 3, and the directory ls reads (4).
        expect(r.stdout).toBe('exec fd three\n0\n1\n2\n3\n4\n');
      } finally {
        closeSync(fd);
      }
    });
  });

  it('create --preserve-fds 1: fd 3 reaches the container process, nothing above it', async () => {
    const data = join(env.dir, 'fd3.txt');
    writeFileSync(data, 'fd three\n');
    const outFile = join(env.dir, 'fd3-out.txt');
    const bundle = makeBundle(env, 'fds1', withArgs('sh', '-c', 'cat <&3; ls /proc/self/fd'));
    const fd = openSync(data, 'r');
    const out = openSync(outFile, 'w');
    try {
      const c = spawnSync(LAUNCHER, [...env.globals(), 'create', '--bundle', bundle, '--preserve-fds', '1', 'fds1'], {
        stdio: ['ignore', out, out, fd],
        env: { ...process.env, LXCRI_MAIN: MAIN },
      });
      expect(c.status).toBe(0);
    } finally {
      closeSync(fd);
      closeSync(out);
    }
    expect((await env.run(['start', 'fds1'])).code).toBe(0);
    await waitFor(async () => (await env.state('fds1')).status === 'stopped', 10_000, 'fds1 to stop');
    expect(readFileSync(outFile, 'utf8')).toBe('fd three\n0\n1\n2\n3\n4\n');
  });
});
