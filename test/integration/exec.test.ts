// exec in real containers (lxcri-attach's join + lxcri-init's exec mode), features and the
// checkpoint refusal.
import { spawnSync } from 'node:child_process';
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env, LAUNCHER, MAIN, makeBundle, pidAlive, waitFor, withArgs } from '../helpers/lxcri.js';
import { validateSchema } from '../../src/spec/validate.js';
import type { Process } from '../../src/spec/types.js';

let env: Env;
let initPid = 0;
const ID = 'ex';

beforeAll(async () => {
  env = new Env();
  const bundle = makeBundle(env, ID, withArgs('sleep', '600'));
  const c = await env.run(['create', '--bundle', bundle, ID]);
  if (c.code !== 0) throw new Error(`create: ${c.stderr}`);
  const s = await env.run(['start', ID]);
  if (s.code !== 0) throw new Error(`start: ${s.stderr}`);
  initPid = (await env.state(ID)).pid;
}, 60_000);

afterAll(async () => {
  await env.cleanup();
});

function processFile(name: string, p: Partial<Process>): string {
  const full: Process = { user: { uid: 0, gid: 0 }, cwd: '/', args: ['true'], env: ['PATH=/bin:/usr/bin'], ...p };
  const file = join(env.dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(full));
  return file;
}

const hostCgroup = (pid: number): string => readFileSync(`/proc/${pid}/cgroup`, 'utf8').match(/^0::(.*)$/m)![1]!;

describe('exec', () => {
  it('passes output and exit code through', async () => {
    const r = await env.run(['exec', ID, 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r.stdout).toBe('out\n');
    expect(r.stderr).toBe('err\n');
    expect(r.code).toBe(3);
  });

  it('gives the arguments after the ID to the command untouched', async () => {
    const r = await env.run(['exec', ID, 'ls', '-l', '-d', '/']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^drwx/);
    const dashdash = await env.run(['exec', ID, '--', 'echo', '--help', '-x']);
    expect(dashdash.stdout).toBe('--help -x\n');
  });

  it('reports a death by signal as 128+N', async () => {
    const r = await env.run(['exec', ID, 'sh', '-c', 'kill -KILL $$']);
    expect(r.code).toBe(137);
  });

  it('runs a --process as its user, in its cwd, with exactly its env', async () => {
    const file = processFile('user', { user: { uid: 65534, gid: 65534, additionalGids: [5] }, cwd: '/tmp', env: ['PATH=/bin', 'FOO=bar baz'], args: ['sh', '-c', 'id -u; id -g; id -G; pwd; env | sort'] });
    const r = await env.run(['exec', '--process', file, ID]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, 4)).toEqual(['65534', '65534', '65534 5', '/tmp']);
    // HOME is added like for the container process (nobody's home); nothing from liblxc.
    expect(lines.slice(4).filter((l) => !/^(PWD|SHLVL|_)=/.test(l))).toEqual(['FOO=bar baz', 'HOME=/nonexistent', 'PATH=/bin']);
  });

  it('applies the process rlimits (within the container\'s hard limits)', async () => {
    const file = processFile('rlim', { user: { uid: 1000, gid: 1000 }, cwd: '/', rlimits: [{ type: 'RLIMIT_NOFILE', soft: 300, hard: 900 }, { type: 'RLIMIT_CORE', soft: 0, hard: 0 }], args: ['sh', '-c', 'ulimit -n; ulimit -Hn; ulimit -Hc'] });
    const r = await env.run(['exec', '--process', file, ID]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('300\n900\n0\n');
  });

  it('applies --cwd, --env and --user to the container process', async () => {
    const r = await env.run(['exec', '--cwd', '/tmp', '--env', 'A=1', '-e', 'B=2', '--user', '65534:65534', ID, 'sh', '-c', 'echo $A$B $(id -u):$(id -g) $(pwd)']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('12 65534:65534 /tmp\n');
  });

  it('runs in the container namespaces and cgroup', async () => {
    const r = await env.run(['exec', ID, 'sh', '-c', 'for n in pid mnt net uts ipc; do readlink /proc/self/ns/$n; done; grep ^0:: /proc/self/cgroup; readlink /proc/1/exe']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const want = ['pid', 'mnt', 'net', 'uts', 'ipc'].map((n) => readlinkSync(`/proc/${initPid}/ns/${n}`));
    expect(lines.slice(0, 5)).toEqual(want);
    // Inside its cgroup namespace, in the container's cgroup.
    expect(lines[5]).toBe('0::/');
    expect(lines[6]).toBe('/bin/busybox');
  });

  it('puts a detached process into the container cgroup, writes its PID and exits 0', async () => {
    const pidFile = join(env.dir, 'detached.pid');
    writeFileSync(pidFile, ''); // CRI-O pre-creates it
    const r = await env.run(['exec', '--detach', '--pid-file', pidFile, ID, 'sleep', '30']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    // lxcri has exited; the process runs on, in the container.
    expect(pidAlive(pid)).toBe(true);
    // The attached child may not have reached its execve yet when lxcri returns (as with
    // runc, which does not wait for it either).
    await waitFor(() => readFileSync(`/proc/${pid}/cmdline`, 'utf8') === 'sleep\x0030\x00', 5_000, 'the detached exec');
    expect(hostCgroup(pid).startsWith(hostCgroup(initPid))).toBe(true);
    expect(readlinkSync(`/proc/${pid}/ns/pid`)).toBe(readlinkSync(`/proc/${initPid}/ns/pid`));
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !pidAlive(pid), 5000, 'detached exit');
  });

  it('leaves a detached process to a subreaper parent, which reaps it with its exit status', () => {
    // A subreaper (as conmon is) runs lxcri, sees it exit, then waits for the exec'd PID.
    const pidFile = join(env.dir, 'reaped.pid');
    const script = `
import ctypes, os, subprocess, sys, time
libc = ctypes.CDLL(None, use_errno=True)
assert libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
args = sys.argv[1:]
rc = subprocess.call(args)
assert rc == 0, rc
pid = int(open(${JSON.stringify(pidFile)}).read())
ppid = [l.split()[1] for l in open('/proc/%d/status' % pid) if l.startswith('PPid:')][0]
_, status = os.waitpid(pid, 0)
print(ppid == str(os.getpid()), os.WIFEXITED(status) and os.WEXITSTATUS(status))
`;
    const r = spawnSync('python3', ['-c', script, LAUNCHER, ...env.globals(), 'exec', '-d', '--pid-file', pidFile, ID, 'sh', '-c', 'sleep 1; exit 7'], {
      encoding: 'utf8',
      env: { ...process.env, LXCRI_MAIN: MAIN },
      timeout: 30_000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('True 7\n');
  });

  it('gives a non-root process the capabilities of its spec, and not more', async () => {
    const caps = ['CAP_NET_BIND_SERVICE', 'CAP_KILL'];
    const file = processFile('caps', {
      user: { uid: 1000, gid: 1000 },
      args: ['sh', '-c', 'grep ^Cap /proc/self/status; grep NoNewPrivs /proc/self/status'],
      capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: caps, ambient: caps },
      noNewPrivileges: true,
    });
    const r = await env.run(['exec', '--process', file, ID]);
    expect(r.stderr).toBe('');
    const mask = ((1n << 10n) | (1n << 5n)).toString(16).padStart(16, '0');
    for (const set of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) expect(r.stdout).toContain(`${set}:\t${mask}\n`);
    expect(r.stdout).toContain('NoNewPrivs:\t1');

    const none = processFile('nocaps', { user: { uid: 1000, gid: 1000 }, args: ['grep', '^Cap', '/proc/self/status'] });
    const n = await env.run(['exec', '--process', none, ID]);
    for (const set of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) expect(n.stdout).toContain(`${set}:\t${'0'.repeat(16)}\n`);
  });

  it('exits 127 for a missing command and 126 for a non-executable one, with the runc wording', async () => {
    const missing = await env.run(['exec', ID, 'no-such-command']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('executable file not found in $PATH');
    const absent = await env.run(['exec', ID, '/no/such/file']);
    expect(absent.code).toBe(127);
    expect(absent.stderr).toContain('no such file or directory');
    const noexec = await env.run(['exec', ID, '/etc/passwd']);
    expect(noexec.code).toBe(126);
    expect(noexec.stderr).toContain('permission denied');
  });

  it('reports an exec failure after the lookup in the words and code of create (lxcri-init: exec ..., 126)', async () => {
    const w = await env.run(['exec', ID, 'sh', '-c', 'printf garbage >/tmp/garbage && chmod 755 /tmp/garbage']);
    expect(w.code).toBe(0);
    const r = await env.run(['exec', ID, '/tmp/garbage']);
    expect(r.code).toBe(126);
    expect(r.stderr).toBe('lxcri-init: exec /tmp/garbage: Exec format error\n');
  });

  it('refuses bad input with one line', async () => {
    const noArgs = processFile('noargs', { args: [] });
    const a = await env.run(['exec', '--process', noArgs, ID]);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/args must not be empty/);
    const bad = join(env.dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ args: ['true'], cwd: 5 }));
    const b = await env.run(['exec', '--process', bad, ID]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/does not match the OCI schema/);
    const noTty = await env.run(['exec', '--console-socket', '/tmp/x.sock', ID, 'true']);
    expect(noTty.code).toBe(1);
    expect(noTty.stderr).toBe('lxcri: --console-socket needs --tty or process.terminal: true\n');
    const noSocket = await env.run(['exec', '--detach', '--tty', ID, 'true']);
    expect(noSocket.code).toBe(1);
    expect(noSocket.stderr).toBe('lxcri: process.terminal needs --console-socket\n');
  });

  it('fails on unknown and stopped containers', async () => {
    const u = await env.run(['exec', 'nonexistent', 'true']);
    expect(u.code).toBe(1);
    expect(u.stderr).toContain('container does not exist: nonexistent');

    const bundle = makeBundle(env, 'exstop', withArgs('true'));
    expect((await env.run(['create', '--bundle', bundle, 'exstop'])).code).toBe(0);
    // exec works in a created container too.
    const inCreated = await env.run(['exec', 'exstop', 'echo', 'created']);
    expect(inCreated.stdout).toBe('created\n');
    expect((await env.run(['start', 'exstop'])).code).toBe(0);
    await waitFor(async () => (await env.state('exstop')).status === 'stopped', 10_000, 'stopped');
    const s = await env.run(['exec', 'exstop', 'true']);
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('container not running: exstop');
  });
});

describe('features and checkpoint', () => {
  it('prints Features JSON that validates', async () => {
    const r = await env.run(['features']);
    expect(r.code).toBe(0);
    const f = JSON.parse(r.stdout) as { ociVersionMin: string; linux: { capabilities: string[]; namespaces: string[] } };
    await validateSchema('features', f, 'features');
    expect(f.ociVersionMin).toBe('1.0.0');
    expect(f.linux.capabilities).toHaveLength(41);
    expect(f.linux.namespaces).toContain('pid');
  });

  it('refuses checkpoint, also its --help', async () => {
    for (const args of [['checkpoint', '--help'], ['checkpoint', '--image-path', '/tmp/x', ID]]) {
      const r = await env.run(args);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('lxcri: checkpoint is not supported\n');
    }
  });
});
