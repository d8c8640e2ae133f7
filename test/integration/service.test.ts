// The resident lxcri service behind bin/lxcri (issue 11): one service per root, calls that
// give what the in-process path gives, helpers started by the client (so the caller stays
// the ancestor of the init), and a service that a killed call, a garbage request or a
// non-root caller cannot harm.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { containerIds, Env, expectOneLineError, LAUNCHER, leftovers, MAIN, makeBundle, pidAlive, processesWhere, waitFor, type Result } from '../helpers/lxcri.js';
import { becomeSubreaper, parentPid, reapChild } from '../helpers/subreaper.js';

const SOCKET = '.lxcri.sock';

/** PIDs of the services serving `root` (their argv: node ... lxcri.cjs --root ROOT service). */
function servicesOf(root: string): number[] {
  return processesWhere((a) => /node$/.test(a[0]!) && a.some((x) => x.endsWith('/lxcri.cjs')) && a.includes('service') && a[a.indexOf('--root') + 1] === root).filter(pidAlive);
}

const inProcess = { LXCRI_SERVICE: 'off' };
const viaService = { LXCRI_SERVICE: 'on', LXCRI_SERVICE_IDLE: '30' };

/** A python3 client of the service wire (libexec/svcproto.h): sends the request (hex on stdin), prints each answer as JSON. */
const RAW_CLIENT = `
import json, os, socket, sys
if len(sys.argv) > 2: os.setuid(int(sys.argv[2]))
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
socket.send_fds(s, [bytes.fromhex(sys.stdin.read())], [0, 1, 2])
while True:
    try:
        data, fds, _, _ = socket.recv_fds(s, 70000, 64)
    except OSError as e:
        print(json.dumps({"error": e.strerror})); break
    if not data: print(json.dumps({"eof": True})); break
    print(json.dumps({"type": chr(data[0]), "fields": [f.decode() for f in data[1:].split(b"\\0")[:-1]]}))
`;

function requestHex(args: string[], cwd = '/'): string {
  const fields = ['1', cwd, String(args.length), ...args, '0'];
  return Buffer.concat([Buffer.from('Q'), ...fields.map((f) => Buffer.from(`${f}\0`))]).toString('hex');
}

function rawCall(socket: string, hex: string, uid?: number): Array<{ type?: string; fields?: string[]; eof?: boolean; error?: string }> {
  const args = ['-c', RAW_CLIENT, socket, ...(uid !== undefined ? [String(uid)] : [])];
  const r = spawnSync('python3', args, { encoding: 'utf8', timeout: 20_000, input: hex, stdio: ['pipe', 'pipe', 'pipe'] });
  if (r.error || r.status !== 0) throw new Error(`python3 client: ${r.error?.message ?? r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { type?: string; fields?: string[] });
}

const norm = (r: Result): { code: number | null; stdout: string; stderr: string } => ({ code: r.code, stdout: r.stdout, stderr: r.stderr });

describe('the lxcri service', () => {
  let env: Env;
  beforeAll(() => becomeSubreaper());
  afterEach(async () => {
    const svcs = env ? servicesOf(env.root) : [];
    await env?.cleanup();
    // The root is gone: its service notices within a second and exits.
    await waitFor(() => svcs.every((p) => !pidAlive(p)), 10_000, 'the service to exit with its root');
  });

  it('serves the calls of a root: one service, the client as the init\'s ancestor, the caller\'s directory and exit codes', async () => {
    env = new Env();
    const b = makeBundle(env, 'b', (s) => (s.process!.args = ['sleep', '100']));
    // Relative --bundle and --pid-file are the caller's, never the service's directory.
    const r = await env.run(['create', '--bundle', 'b', '--pid-file', 'init.pid', 'sv-a'], { env: viaService, cwd: env.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const services = servicesOf(env.root);
    expect(services).toHaveLength(1);
    const sock = statSync(join(env.root, SOCKET));
    expect(sock.isSocket()).toBe(true);
    expect(sock.mode & 0o777).toBe(0o600);
    expect(sock.uid).toBe(0);
    const pid = Number(readFileSync(join(env.dir, 'init.pid'), 'utf8'));
    expect((await env.state('sv-a')).pid).toBe(pid);
    // The init went to the caller's nearest subreaper (this test, as conmon), not to the service.
    expect(parentPid(pid)).toBe(process.pid);
    expect((await env.run(['start', 'sv-a'], { env: viaService })).code).toBe(0);
    const e = await env.run(['exec', 'sv-a', 'sh', '-c', 'echo out; echo err >&2; exit 7'], { env: viaService });
    expect(norm(e)).toEqual({ code: 7, stdout: 'out\n', stderr: 'err\n' });
    expect((await env.run(['kill', 'sv-a', 'KILL'], { env: viaService })).code).toBe(0);
    expect(await reapChild(pid)).toBe(9);
    expect((await env.run(['delete', 'sv-a'], { env: viaService })).code).toBe(0);
    expect(leftovers(env, 'sv-a', [pid])).toEqual([]);
    // Every call went to the same service.
    expect(servicesOf(env.root)).toEqual(services);
    expect(b).toBe(join(env.dir, 'b'));
  });

  it('20 clients at once start exactly one service, which exits when idle and is started again', async () => {
    env = new Env();
    const idle = { LXCRI_SERVICE: 'on', LXCRI_SERVICE_IDLE: '1' };
    const rs = await Promise.all(Array.from({ length: 20 }, () => env.run(['state', 'sv-none'], { env: idle })));
    for (const r of rs) expectOneLineError(r, /^lxcri: container does not exist: sv-none$/);
    const first = servicesOf(env.root);
    expect(first).toHaveLength(1);
    await waitFor(() => !pidAlive(first[0]!), 10_000, 'the idle service to exit');
    const again = await env.run(['list', '-q'], { env: idle });
    expect(norm(again)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(servicesOf(env.root)).toHaveLength(1);
    expect(servicesOf(env.root)).not.toEqual(first);
  });

  it('50 concurrent calls on 10 containers give what the in-process path gives; concurrent creates of one ID have one winner', async () => {
    env = new Env();
    const b = makeBundle(env, 'b', (s) => (s.process!.args = ['sleep', '100']));
    const ids = Array.from({ length: 10 }, (_, i) => `sv-c${i}`);
    const creates = await Promise.all(ids.map((id) => env.run(['create', '--bundle', b, id], { env: viaService })));
    for (const c of creates) expect(norm(c)).toEqual({ code: 0, stdout: '', stderr: '' });
    for (const id of ids.slice(0, 5)) expect((await env.run(['start', id], { env: viaService })).code).toBe(0);
    const calls = ids.flatMap((id, i) => [
      ['state', id],
      ['exec', id, 'sh', '-c', `echo ${id}; exit ${i}`],
      ['kill', id, '0'],
      ['ps', id, '-o', 'comm='],
      ['update', '--resources', '-', id],
    ]);
    const input = JSON.stringify({ pids: { limit: 100 } });
    const served = await Promise.all(calls.map((c) => env.run(c, { env: viaService, input })));
    const local = await Promise.all(calls.map((c) => env.run(c, { env: inProcess, input })));
    const differ = calls.map((c, i) => ({ call: c.join(' '), served: norm(served[i]!), local: norm(local[i]!) })).filter((d) => JSON.stringify(d.served) !== JSON.stringify(d.local));
    expect(differ).toEqual([]);
    expect(served.filter((r) => r.code === 0).length).toBeGreaterThan(30);
    // Five creates of one ID at once: one container, four "already exists".
    const same = await Promise.all(Array.from({ length: 5 }, () => env.run(['create', '--bundle', b, 'sv-same'], { env: viaService })));
    expect(same.filter((r) => r.code === 0)).toHaveLength(1);
    for (const r of same.filter((x) => x.code !== 0)) expectOneLineError(r, /^lxcri: container "sv-same" already exists$/);
  });

  it('a long exec and an events stream hold up no other call on their container', async () => {
    env = new Env();
    const b = makeBundle(env, 'b', (s) => (s.process!.args = ['sleep', '100']));
    expect((await env.run(['create', '--bundle', b, 'sv-l'], { env: viaService })).code).toBe(0);
    expect((await env.run(['start', 'sv-l'], { env: viaService })).code).toBe(0);
    const longExec = env.run(['exec', 'sv-l', 'sleep', '5'], { env: viaService });
    const events = env.run(['events', '--interval', '200ms', 'sv-l'], { env: viaService });
    // update -r - with a stdin that stays open: it waits in its own process, not in the service.
    const update = spawn(LAUNCHER, [...env.globals(), 'update', '-r', '-', 'sv-l'], { env: { ...process.env, ...viaService, LXCRI_MAIN: MAIN }, stdio: ['pipe', 'ignore', 'pipe'] });
    const updated = new Promise<number | null>((res) => update.once('exit', res));
    await new Promise((r) => setTimeout(r, 500));
    const t0 = Date.now();
    expect((await env.state('sv-l')).status).toBe('running');
    expect(norm(await env.run(['exec', 'sv-l', 'sh', '-c', 'echo quick'], { env: viaService }))).toEqual({ code: 0, stdout: 'quick\n', stderr: '' });
    expect((await env.run(['kill', 'sv-l', 'KILL'], { env: viaService })).code).toBe(0);
    // All three answered while the exec, the events call and the update were still running.
    expect(Date.now() - t0).toBeLessThan(3000);
    update.stdin!.end('{"pids":{"limit":99}}');
    expect(await updated).not.toBeNull();
    expect((await events).code).toBe(0);
    expect((await longExec).code).toBe(137);
  });

  it('keeps nothing per call: 150 calls (failing, logging at debug, exec) leave its open files as they were', async () => {
    env = new Env();
    const b = makeBundle(env, 'b', (s) => (s.process!.args = ['sleep', '100']));
    expect((await env.run(['create', '--bundle', b, 'sv-f'], { env: viaService })).code).toBe(0);
    expect((await env.run(['start', 'sv-f'], { env: viaService })).code).toBe(0);
    const [svc] = servicesOf(env.root);
    const fds = (): number => readdirSync(`/proc/${svc}/fd`).length;
    const before = fds();
    for (let i = 0; i < 50; i++) {
      const rs = await Promise.all([
        env.run(['--log-level', 'debug', 'state', 'sv-f'], { env: viaService }),
        env.run(['state', 'sv-none'], { env: viaService }),
        env.run(['exec', 'sv-f', 'true'], { env: viaService }),
      ]);
      expect(rs.map((r) => r.code)).toEqual([0, 1, 0]);
    }
    expect(fds()).toBeLessThanOrEqual(before + 1);
  });

  it('a service killed in the middle of a create: one line from the client, and delete --force leaves nothing', async () => {
    env = new Env();
    // A createRuntime hook holds create for seconds: the service dies while it waits.
    const b = makeBundle(env, 'b', (s) => {
      s.process!.args = ['sleep', '100'];
      s.hooks = { createRuntime: [{ path: '/bin/sleep', args: ['sleep', '3'] }] };
    });
    await env.run(['list'], { env: viaService });
    const [svc] = servicesOf(env.root);
    const creating = env.run(['create', '--bundle', b, 'sv-k'], { env: viaService });
    await waitFor(() => containerIds(env.root).includes('sv-k'), 10_000, 'create to begin');
    await new Promise((r) => setTimeout(r, 300));
    process.kill(svc!, 'SIGKILL');
    const r = await creating;
    expectOneLineError(r, /^lxcri: the lxcri service ended during the call$/);
    const d = await env.run(['delete', '--force', 'sv-k'], { env: viaService });
    expect(norm(d)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(leftovers(env, 'sv-k')).toEqual([]);
    expectOneLineError(await env.run(['state', 'sv-k'], { env: viaService }), /does not exist/);
  });

  it('refuses a caller that is not root; garbage requests get one error each and do not disturb a concurrent call', async () => {
    env = new Env();
    const b = makeBundle(env, 'b', (s) => (s.process!.args = ['sleep', '100']));
    expect((await env.run(['create', '--bundle', b, 'sv-g'], { env: viaService })).code).toBe(0);
    expect((await env.run(['start', 'sv-g'], { env: viaService })).code).toBe(0);
    const [svc] = servicesOf(env.root);
    const socket = join(env.root, SOCKET);
    // A non-root client cannot connect (0600): with the service required, one line. (The
    // client from a directory it can reach: the tree may be under a private dir.)
    const dir = mkdtempSync(join(tmpdir(), 'lxcri-test-client-'));
    let nr;
    try {
      chmodSync(dir, 0o755);
      copyFileSync(LAUNCHER, join(dir, 'lxcri'));
      chmodSync(join(dir, 'lxcri'), 0o755);
      nr = spawnSync('setpriv', ['--reuid', '65534', '--regid', '65534', '--clear-groups', join(dir, 'lxcri'), '--root', env.root, '--service', 'on', 'state', 'sv-g'], { encoding: 'utf8', env: { LXCRI_MAIN: MAIN } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(nr.status).toBe(1);
    expect(nr.stderr.trim().split('\n')).toHaveLength(1);
    expect(nr.stderr).toMatch(/^lxcri: cannot reach the lxcri service at .*\.lxcri\.sock: Permission denied/);
    // One that reaches it anyway (the mode opened) is refused by its credentials.
    chmodSync(socket, 0o666);
    try {
      const refused = rawCall(socket, requestHex(['state', 'sv-g']), 65534);
      expect(refused[0]).toEqual({ type: 'X', fields: ['1', 'lxcri: the lxcri service serves root only (uid 65534)\n'] });
    } finally {
      chmodSync(socket, 0o600);
    }
    // A long call runs while garbage arrives.
    const long = env.run(['exec', 'sv-g', 'sh', '-c', 'sleep 1; echo done'], { env: viaService });
    const garbage: Array<[string, RegExp | 'eof']> = [
      [Buffer.from('Zjunk\0').toString('hex'), /^lxcri: bad request to the lxcri service: message type "Z" is no request\n$/],
      [Buffer.from('Q1\0/\0').toString('hex'), /^lxcri: bad request to the lxcri service: argc is not a count\n$/],
      [Buffer.from('Q2\0/\x000\x000\0').toString('hex'), /^lxcri: bad request to the lxcri service: protocol version "2"/],
      [Buffer.from('Q1\0relative\x000\x000\0').toString('hex'), /absolute path/],
      [Buffer.from('Q1\0/\x005\0state\0').toString('hex'), /argv is shorter than argc/],
      [Buffer.from('Q1\0/\x000\x000').toString('hex'), /^lxcri: bad request to the lxcri service: not a message\n$/],
      [Buffer.alloc(70_000, 0x51).toString('hex'), 'eof'],
    ];
    for (const [hex, want] of garbage) {
      const answers = rawCall(socket, hex);
      if (want === 'eof') expect(answers.at(-1)).toEqual({ eof: true });
      else {
        expect(answers[0]?.type).toBe('X');
        expect(answers[0]?.fields?.[0]).toBe('1');
        expect(answers[0]?.fields?.[1]).toMatch(want);
      }
    }
    expect(norm(await long)).toEqual({ code: 0, stdout: 'done\n', stderr: '' });
    expect(servicesOf(env.root)).toEqual([svc]);
    expect((await env.state('sv-g')).status).toBe('running');
  });

  it('a call that needs the caller\'s own process (run in the foreground), another root, or mode off runs in-process', async () => {
    env = new Env();
    const b = makeBundle(env, 'b', (s) => (s.process!.args = ['sh', '-c', 'echo ran; exit 5']));
    const r = await env.run(['run', '--bundle', b, 'sv-run'], { env: viaService });
    expect(norm(r)).toEqual({ code: 5, stdout: 'ran\n', stderr: '' });
    const off = new Env();
    try {
      expect((await off.run(['list', '-q'], { env: inProcess })).code).toBe(0);
      expect(servicesOf(off.root)).toEqual([]);
      // A root that does not exist holds no container: auto mode says so in-process and
      // neither makes the root nor starts a service for it (bash completion, CRI-O's probes).
      expectOneLineError(await off.run(['state', 'sv-x'], { env: { LXCRI_SERVICE: 'auto' } }), /does not exist/);
      expect((await off.run(['list', '-q'], { env: { LXCRI_SERVICE: 'auto' } })).code).toBe(0);
      expect(existsSync(off.root)).toBe(false);
      expect(servicesOf(off.root)).toEqual([]);
    } finally {
      await off.cleanup();
    }
  });

  it('serves on the socket systemd passes (socket activation), started on the first call', async () => {
    env = new Env();
    mkdirSync(env.root, { recursive: true, mode: 0o711 });
    const socket = join(env.root, SOCKET);
    const activator: ChildProcess = spawn(
      'systemd-socket-activate',
      ['--seqpacket', '-l', socket, '-E', `LXCRI_MAIN=${MAIN}`, '-E', 'LXCRI_SERVICE_IDLE=30', LAUNCHER, '--service=off', '--root', env.root, '--log-file', env.logFile, 'service'],
      { stdio: 'ignore' },
    );
    try {
      await waitFor(() => statSafe(socket), 10_000, 'the activator to listen');
      expect(servicesOf(env.root)).toEqual([]);
      const r = await env.run(['list', '-q'], { env: viaService });
      expect(norm(r)).toEqual({ code: 0, stdout: '', stderr: '' });
      const svcs = servicesOf(env.root);
      expect(svcs).toHaveLength(1);
      // systemd-socket-activate execs the service in its own process.
      expect(svcs[0]).toBe(activator.pid);
      const log = readFileSync(env.logFile, 'utf8');
      expect(log).toMatch(/"inherited":true.*"m":"lxcri service started"/);
    } finally {
      activator.kill('SIGTERM');
      await new Promise((r) => activator.once('exit', r));
    }
  });
});

function statSafe(p: string): boolean {
  try {
    return statSync(p).isSocket();
  } catch {
    return false;
  }
}

