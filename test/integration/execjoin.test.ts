// exec joins the container by itself (lxcri-attach, no liblxc attach): it works once the
// container's monitor (lxcri-start) is gone, as it will be after every create (issue 10),
// and puts the process into every namespace and cgroup of the init, while lxcri-attach
// itself stays outside the container's cgroup.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env, LAUNCHER, MAIN, makeBundle, monitorsOf, pidAlive, processesWhere, waitFor, withArgs } from '../helpers/lxcri.js';
import type { Process } from '../../src/spec/types.js';

let env: Env;
const NAMESPACES = ['user', 'mnt', 'pid', 'uts', 'ipc', 'net', 'cgroup', 'time'];

beforeAll(() => {
  env = new Env();
});

afterAll(async () => {
  await env.cleanup();
});

/** Create and start `id`: create has ended its monitor (nothing of lxcri stays); the init's PID. */
async function withoutMonitor(id: string, edit: Parameters<typeof makeBundle>[2] = withArgs('sleep', '600')): Promise<number> {
  const bundle = makeBundle(env, id, edit);
  const c = await env.run(['create', '--bundle', bundle, id]);
  if (c.code !== 0) throw new Error(`create: ${c.stderr}`);
  const s = await env.run(['start', id]);
  if (s.code !== 0) throw new Error(`start: ${s.stderr}`);
  const rec = JSON.parse(readFileSync(join(env.root, id, 'lxcri.json'), 'utf8')) as { monitor?: unknown; init: { pid: number } };
  expect(rec.monitor).toBeUndefined();
  expect(monitorsOf(env.root, id)).toEqual([]);
  expect(pidAlive(rec.init.pid)).toBe(true);
  expect((await env.state(id)).status).toBe('running');
  return rec.init.pid;
}

function processFile(name: string, p: Partial<Process>): string {
  const full: Process = { user: { uid: 0, gid: 0 }, cwd: '/', args: ['true'], env: ['PATH=/bin:/usr/bin'], ...p };
  const file = join(env.dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(full));
  return file;
}

const cgroups = (pid: number): string[] => readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n').sort();
const nsOf = (pid: number): string[] => NAMESPACES.map((n) => readlinkSync(`/proc/${pid}/ns/${n}`));
/** Fields 4-6 of /proc/PID/stat: parent, process group, session. */
function ids(pid: number): { ppid: number; pgrp: number; sid: number } {
  const st = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const [ppid, pgrp, sid] = st.slice(st.lastIndexOf(')') + 4).split(' ').map(Number);
  return { ppid: ppid!, pgrp: pgrp!, sid: sid! };
}

// Receives the pty master of `lxcri exec --tty --console-socket SOCK` and reads the
// terminal until every slave is closed; prints JSON {code, output, stderr}.
const CONSOLE = `
import json, os, socket, subprocess, sys
sock_path, argv = sys.argv[1], json.loads(sys.argv[2])
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(sock_path)
srv.listen(1)
srv.settimeout(30)
p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
conn, _ = srv.accept()
_, fds, _, _ = socket.recv_fds(conn, 4096, 1)
out = b''
while True:
    try:
        b = os.read(fds[0], 4096)
    except OSError:
        break
    if not b:
        break
    out += b
_, err = p.communicate()
print(json.dumps({'code': p.returncode, 'output': out.decode(errors='replace'), 'stderr': err.decode()}))
`;

describe('exec without the container\'s monitor', () => {
  const ID = 'jn-nomon';
  let initPid = 0;
  beforeAll(async () => {
    initPid = await withoutMonitor(ID);
  }, 60_000);

  it('runs in the foreground: output and exit code', async () => {
    const r = await env.run(['exec', ID, 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r.stderr).toBe('err\n');
    expect(r.stdout).toBe('out\n');
    expect(r.code).toBe(3);
  });

  it('runs a --process as its user and cwd', async () => {
    const file = processFile('user', { user: { uid: 65534, gid: 65534, additionalGids: [5] }, cwd: '/tmp', args: ['sh', '-c', 'id -u; id -G; pwd'] });
    const r = await env.run(['exec', '--process', file, ID]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('65534\n65534 5\n/tmp\n');
    expect(r.code).toBe(0);
  });

  it('runs --detach --pid-file: the process runs on in the container', async () => {
    const pidFile = join(env.dir, 'detached.pid');
    const r = await env.run(['exec', '--detach', '--pid-file', pidFile, ID, 'sleep', '30']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pidAlive(pid)).toBe(true);
    await waitFor(() => readFileSync(`/proc/${pid}/cmdline`, 'utf8') === 'sleep\x0030\x00', 5000, 'the detached exec');
    expect(nsOf(pid)).toEqual(nsOf(initPid));
    expect(cgroups(pid)).toEqual(cgroups(initPid));
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !pidAlive(pid), 5000, 'detached exit');
  });

  it('passes --preserve-fds on', async () => {
    const file = join(env.dir, 'preserved.txt');
    writeFileSync(file, 'kept\n');
    const fd = openSync(file, 'r');
    try {
      const r = await new Promise<{ code: number | null; out: string }>((res, rej) => {
        // The fd becomes the child's 3, as a manager passes it.
        const child = spawn(LAUNCHER, [...env.globals(), 'exec', '--preserve-fds', '1', ID, 'cat', '/proc/self/fd/3'], {
          stdio: ['ignore', 'pipe', 'inherit', fd],
          env: { ...process.env, LXCRI_MAIN: MAIN },
        });
        let out = '';
        child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        child.once('error', rej);
        child.once('close', (code) => res({ code, out }));
      });
      expect(r).toEqual({ code: 0, out: 'kept\n' });
    } finally {
      closeSync(fd);
    }
  });

  it('runs --tty --console-socket: the terminal and the exit code', async () => {
    writeFileSync(join(env.dir, 'console.py'), CONSOLE);
    const sock = join(env.dir, 'console.sock');
    const argv = [LAUNCHER, ...env.globals(), 'exec', '--tty', '--console-socket', sock, ID, 'sh', '-c', 'tty; exit 4'];
    const r = await new Promise<string>((res, rej) => {
      const child = spawn('python3', [join(env.dir, 'console.py'), sock, JSON.stringify(argv)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LXCRI_MAIN: MAIN } });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.once('error', rej);
      child.once('close', () => res(out));
    });
    const got = JSON.parse(r) as { code: number; output: string; stderr: string };
    expect(got.stderr).toBe('');
    expect(got.output).toMatch(/^\/dev\/pts\/\d+\r\n$/);
    expect(got.code).toBe(4);
  });

  it('puts the process into every namespace and cgroup of the init, in its own session; lxcri-attach stays outside', async () => {
    const running = env.run(['exec', ID, 'sleep', '4.5']);
    let pid = 0;
    await waitFor(() => {
      pid = processesWhere((a) => a[0] === 'sleep' && a[1] === '4.5')[0] ?? 0;
      return pid > 0;
    }, 5000, 'the exec\'d sleep');
    const attach = ids(pid).ppid;
    expect(readFileSync(`/proc/${attach}/cmdline`, 'utf8')).toContain(`\0--pid\0${initPid}\0`);
    expect(nsOf(pid)).toEqual(nsOf(initPid));
    expect(cgroups(pid)).toEqual(cgroups(initPid));
    expect(cgroups(pid).length).toBeGreaterThan(1);
    expect(ids(pid)).toMatchObject({ pgrp: pid, sid: pid });
    // The waiting helper counts against none of the container's limits.
    const outside = cgroups(attach);
    for (const line of cgroups(initPid)) expect(outside).not.toContain(line);
    expect(readlinkSync(`/proc/${attach}/ns/mnt`)).toBe(readlinkSync('/proc/self/ns/mnt'));
    expect(readlinkSync(`/proc/${attach}/ns/pid`)).toBe(readlinkSync('/proc/self/ns/pid'));
    expect((await running).code).toBe(0);
  });

  it('says the container is not running once its init is gone', async () => {
    const id = 'jn-gone';
    const init = await withoutMonitor(id);
    process.kill(init, 'SIGKILL');
    await waitFor(() => !pidAlive(init), 5000, 'the init to die');
    const r = await env.run(['exec', id, 'true']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`lxcri: container not running: ${id}\n`);
  });
});

describe('exec in a user-namespaced container without its monitor', () => {
  const ID = 'jn-userns';
  const MAP = [{ containerID: 0, hostID: 1000, size: 65536 }];
  let initPid = 0;
  beforeAll(async () => {
    initPid = await withoutMonitor(ID, (s) => {
      s.process!.args = ['sleep', '600'];
      s.linux!.namespaces!.push({ type: 'user' });
      s.linux!.uidMappings = MAP;
      s.linux!.gidMappings = MAP;
    });
  }, 60_000);

  it('runs as the container\'s root and as the process user, in the init\'s namespaces and cgroups', async () => {
    const root = await env.run(['exec', ID, 'sh', '-c', 'id -u; id -g; grep ^Uid /proc/self/status']);
    expect(root.stderr).toBe('');
    expect(root.stdout).toBe('0\n0\nUid:\t0\t0\t0\t0\n');
    const file = processFile('nsuser', { user: { uid: 100, gid: 100 }, args: ['sh', '-c', 'id -u; id -g'] });
    const user = await env.run(['exec', '--process', file, ID]);
    expect(user.stderr).toBe('');
    expect(user.stdout).toBe('100\n100\n');
    const pidFile = join(env.dir, 'userns.pid');
    const d = await env.run(['exec', '--detach', '--pid-file', pidFile, ID, 'sleep', '30']);
    expect(d.code).toBe(0);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => readFileSync(`/proc/${pid}/cmdline`, 'utf8') === 'sleep\x0030\x00', 5000, 'the detached exec');
    // Host view: the mapped root, host uid 1000.
    expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(/^Uid:\t1000\t1000\t1000\t1000$/m);
    expect(nsOf(pid)).toEqual(nsOf(initPid));
    expect(readlinkSync(`/proc/${pid}/ns/user`)).not.toBe(readlinkSync('/proc/self/ns/user'));
    expect(cgroups(pid)).toEqual(cgroups(initPid));
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !pidAlive(pid), 5000, 'detached exit');
  });
});
