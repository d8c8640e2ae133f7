// The addon's SOCK_SEQPACKET calls and watchReadable (native/seqpacket.cc,
// native/watchreadable.cc) on real sockets: the peer is a python3 client (Node has no
// SEQPACKET client and the addon exports none).
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { NativeModule } from '../../src/native.d.ts';

const addonPath = fileURLToPath(new URL('../../build/Release/lxcri_native.node', import.meta.url));
const native = createRequire(import.meta.url)(addonPath) as NativeModule;

// The client: connects to argv[1] (from its directory, so a long path works), then runs the
// JSON steps of argv[2], printing one line per result.
const CLIENT = String.raw`
import json, os, socket, sys, time
path, steps = sys.argv[1], json.loads(sys.argv[2])
os.chdir(os.path.dirname(path))
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(os.path.basename(path))
print("pid", os.getpid(), flush=True)
for step in steps:
    op = step[0]
    if op == "send":  # text, files to open and pass
        fds = [os.open(f, os.O_RDWR) for f in step[2]]
        socket.send_fds(s, [step[1].encode()], fds)
        for fd in fds: os.close(fd)
    elif op == "sendpipe":  # text; passes a pipe's write end, prints what comes through
        r, w = os.pipe()
        socket.send_fds(s, [step[1].encode()], [w])
        os.close(w)
        got = b""
        while True:
            b = os.read(r, 4096)
            if not b: break
            got += b
        print("pipe", got.decode(), flush=True)
    elif op == "recv":  # writes to every fd received, prints the message
        data, fds, flags, _ = socket.recv_fds(s, 65536, 8)
        for fd in fds:
            os.write(fd, b"from python")
            os.close(fd)
        print("recv", data.decode(), len(fds), flush=True)
    elif op == "sleep":
        time.sleep(step[1])
s.close()
print("done", flush=True)
`;

type Step = ['send', string, string[]] | ['sendpipe', string] | ['recv'] | ['sleep', number];

interface Client {
  child: ChildProcess;
  lines: string[];
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

const clients: Client[] = [];

function client(path: string, steps: Step[]): Client {
  const child = spawn('python3', ['-c', CLIENT, path, JSON.stringify(steps)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop()!;
    lines.push(...parts);
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const c = { child, lines, exited };
  clients.push(c);
  return c;
}

/** Resolves once `fd` is readable: a watch that closes itself inside its callback. */
function readable(fd: number): Promise<void> {
  return new Promise((resolve) => {
    const w = native.watchReadable(fd, () => {
      w.close();
      resolve();
    });
  });
}

async function accept(listener: number): Promise<NonNullable<ReturnType<NativeModule['seqpacketAccept']>>> {
  for (;;) {
    await readable(listener);
    const peer = native.seqpacketAccept(listener);
    if (peer) return peer;
  }
}

async function recv(fd: number, maxBytes = 65536, maxFds = 8): Promise<NonNullable<ReturnType<NativeModule['seqpacketRecv']>>> {
  for (;;) {
    await readable(fd);
    const m = native.seqpacketRecv(fd, maxBytes, maxFds);
    if (m) return m;
  }
}

function thrown(fn: () => unknown): NodeJS.ErrnoException {
  try {
    fn();
  } catch (e) {
    return e as NodeJS.ErrnoException;
  }
  throw new Error('expected a throw');
}

/** The fds of this process that refer to `path`. */
function fdsOn(path: string): string[] {
  return readdirSync('/proc/self/fd').filter((n) => {
    try {
      return readlinkSync(`/proc/self/fd/${n}`) === path;
    } catch {
      return false;
    }
  });
}

let dir = '';
let sock = '';
const opened: number[] = [];

function track<T extends number>(fd: T): T {
  opened.push(fd);
  return fd;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lxcri-nv-seqpacket-'));
  sock = join(dir, '.lxcri.sock');
});

afterEach(async () => {
  for (const c of clients.splice(0)) {
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await c.exited;
  }
  for (const fd of opened.splice(0)) closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});

describe('seqpacketListen', () => {
  it('listens at the path with exactly the mode asked for, not the umask', async () => {
    const a = track(native.seqpacketListen(sock, 0o600));
    expect(statSync(sock).isSocket()).toBe(true);
    expect(statSync(sock).mode & 0o7777).toBe(0o600);
    // bind alone would give 0777 less the umask (022 here): 0755.
    const other = join(dir, 'wide.sock');
    track(native.seqpacketListen(other, 0o666));
    expect(statSync(other).mode & 0o7777).toBe(0o666);
    // A client can connect and is seen with its credentials.
    const c = client(sock, [['sleep', 0.2]]);
    const peer = await accept(a);
    track(peer.fd);
    expect(peer).toMatchObject({ pid: c.child.pid, uid: process.getuid!(), gid: process.getgid!() });
    expect(await c.exited).toBe(0);
  });

  it('binds a path longer than sun_path (108 bytes) through its directory', async () => {
    const deep = join(dir, 'a'.repeat(60), 'b'.repeat(60));
    mkdirSync(deep, { recursive: true });
    const long = join(deep, '.lxcri.sock');
    expect(long.length).toBeGreaterThan(108);
    const before = readdirSync('/proc/self/fd').length;
    const a = track(native.seqpacketListen(long, 0o600));
    // Only the socket stays open (the directory's O_PATH fd is closed).
    expect(readdirSync('/proc/self/fd').length).toBe(before + 1);
    expect(statSync(long).isSocket()).toBe(true);
    expect(statSync(long).mode & 0o7777).toBe(0o600);
    const c = client(long, [['send', 'Qlong', []]]);
    const peer = await accept(a);
    track(peer.fd);
    expect((await recv(peer.fd)).data.toString()).toBe('Qlong');
    expect(await c.exited).toBe(0);
  });

  it('refuses an existing file (EADDRINUSE) and leaves it as it was', () => {
    writeFileSync(sock, 'stale');
    const err = thrown(() => native.seqpacketListen(sock, 0o600));
    expect([err.code, err.errno]).toEqual(['EADDRINUSE', -98]);
    expect(err.message).toBe(`bind ${sock}: Address already in use`);
    expect(readFileSync(sock, 'utf8')).toBe('stale');
    rmSync(sock);
    track(native.seqpacketListen(sock, 0o600));
    expect(thrown(() => native.seqpacketListen(sock, 0o600)).code).toBe('EADDRINUSE');
  });

  it('throws a system error for a missing directory and bad arguments as TypeError', () => {
    const err = thrown(() => native.seqpacketListen(join(dir, 'missing', 's'), 0o600));
    expect(err.code).toBe('ENOENT');
    expect(readdirSync(dir)).toEqual([]);
    expect(() => native.seqpacketListen('', 0o600)).toThrow(TypeError);
    expect(() => native.seqpacketListen(sock, 0o10000)).toThrow(TypeError);
    expect(() => native.seqpacketRecv(0, -1, 0)).toThrow(TypeError);
    expect(() => native.seqpacketRecv(0, 10, 254)).toThrow(TypeError);
  });
});

describe('messages', () => {
  it('accept and recv return null when nothing waits, then a message with fds goes both ways', async () => {
    const a = track(native.seqpacketListen(sock, 0o600));
    expect(native.seqpacketAccept(a)).toBeNull();
    const c = client(sock, [['sleep', 0.3], ['sendpipe', 'Qhello'], ['recv']]);
    const peer = await accept(a);
    track(peer.fd);
    expect(native.seqpacketRecv(peer.fd, 65536, 8)).toBeNull();
    const m = await recv(peer.fd);
    expect(m.data.toString()).toBe('Qhello');
    expect(m.fds).toHaveLength(1);
    // Received close-on-exec (MSG_CMSG_CLOEXEC).
    const flags = /^flags:\s+(\d+)$/m.exec(readFileSync(`/proc/self/fdinfo/${m.fds[0]}`, 'utf8'))![1]!;
    expect(parseInt(flags, 8) & 0o2000000).toBe(0o2000000);
    writeSync(m.fds[0]!, 'through the pipe');
    closeSync(m.fds[0]!);
    // The other way: a file of ours for python to write to.
    const file = join(dir, 'out');
    const out = track(openSync(file, 'w'));
    native.seqpacketSend(peer.fd, Buffer.from('X0'), [out], 1000);
    expect(await c.exited).toBe(0);
    expect(c.lines).toContain('pipe through the pipe');
    expect(c.lines).toContain('recv X0 1');
    expect(readFileSync(file, 'utf8')).toBe('from python');
  });

  it('reads the peer closing as an empty message, and sending then fails with EPIPE', async () => {
    const a = track(native.seqpacketListen(sock, 0o600));
    const c = client(sock, []);
    const peer = await accept(a);
    track(peer.fd);
    expect(await c.exited).toBe(0);
    const m = await recv(peer.fd);
    expect(m.data.length).toBe(0);
    expect(m.fds).toEqual([]);
    expect(thrown(() => native.seqpacketSend(peer.fd, Buffer.from('X0'), [], 100)).code).toBe('EPIPE');
  });

  it('refuses oversized messages and too many fds with EMSGSIZE, closing every fd received', async () => {
    const marker = join(dir, 'marker');
    writeFileSync(marker, '');
    const a = track(native.seqpacketListen(sock, 0o600));
    const c = client(sock, [
      ['send', 'Q'.repeat(100), [marker, marker]],
      ['send', 'Q', [marker, marker, marker]],
      ['send', 'Q', [marker, marker]],
      ['send', 'Qfine', [marker]],
    ]);
    const peer = await accept(a);
    track(peer.fd);
    await readable(peer.fd);
    await c.exited;
    const big = thrown(() => native.seqpacketRecv(peer.fd, 10, 4));
    expect([big.code, big.message]).toEqual(['EMSGSIZE', 'recvmsg: message longer than 10 bytes: Message too long']);
    expect(fdsOn(marker)).toEqual([]);
    const many = thrown(() => native.seqpacketRecv(peer.fd, 10, 2));
    expect([many.code, many.message]).toEqual(['EMSGSIZE', 'recvmsg: message with more than 2 fds: Message too long']);
    expect(fdsOn(marker)).toEqual([]);
    // Two fds fit the control space of one (CMSG_SPACE rounds up): counted, not trusted.
    expect(thrown(() => native.seqpacketRecv(peer.fd, 10, 1)).code).toBe('EMSGSIZE');
    expect(fdsOn(marker)).toEqual([]);
    // Each refused message was consumed; the next is whole.
    const ok = native.seqpacketRecv(peer.fd, 10, 1)!;
    expect(ok.data.toString()).toBe('Qfine');
    expect(fdsOn(marker)).toEqual([String(ok.fds[0])]);
    closeSync(ok.fds[0]!);
  });

  it('waits for room at most timeoutMs, then throws ETIMEDOUT', async () => {
    const a = track(native.seqpacketListen(sock, 0o600));
    client(sock, [['sleep', 30]]);
    const peer = await accept(a);
    track(peer.fd);
    const chunk = Buffer.alloc(32768, 'x');
    let err: NodeJS.ErrnoException | undefined;
    let took = 0;
    for (let i = 0; i < 10000 && !err; i++) {
      const t0 = Date.now();
      try {
        native.seqpacketSend(peer.fd, chunk, [], 150);
      } catch (e) {
        err = e as NodeJS.ErrnoException;
        took = Date.now() - t0;
      }
    }
    expect(err?.code).toBe('ETIMEDOUT');
    expect(took).toBeGreaterThanOrEqual(140);
  });
});

describe('watchReadable', () => {
  it('calls back while readable and stops at close() from inside the callback', async () => {
    const a = track(native.seqpacketListen(sock, 0o600));
    let calls = 0;
    let w: ReturnType<NativeModule['watchReadable']> | undefined;
    const first = new Promise<void>((resolve) => {
      w = native.watchReadable(a, () => {
        calls++;
        // Level-triggered: nothing is accepted, so it comes again until closed.
        if (calls === 3) {
          w!.close();
          w!.close();
          resolve();
        }
      });
    });
    client(sock, [['sleep', 5]]);
    await first;
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toBe(3);
    w!.ref();
    w!.unref();
    w!.close();
    track(native.seqpacketAccept(a)!.fd);
  });

  it('refuses an fd the loop already watches (EEXIST) and one epoll cannot watch (EPERM)', () => {
    const a = track(native.seqpacketListen(sock, 0o600));
    const w = native.watchReadable(a, () => undefined);
    try {
      expect(thrown(() => native.watchReadable(a, () => undefined)).code).toBe('EEXIST');
    } finally {
      w.close();
    }
    const file = track(openSync(join(dir, 'plain'), 'w'));
    expect(thrown(() => native.watchReadable(file, () => undefined)).code).toBe('EPERM');
    expect(() => native.watchReadable(a, 'no' as unknown as () => void)).toThrow(TypeError);
  });

  // In a node of its own: whether the loop stays alive, GC, uncaught exceptions. fd 0 is a
  // pipe from this test; the callback fires when the test writes to it.
  function node(script: string, input?: string): Promise<{ code: number | null; out: string; ms: number }> {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--expose-gc', '-e', `const native = require(${JSON.stringify(addonPath)});\n${script}`], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (input !== undefined && out.includes('ready\n')) {
        child.stdin.write(input);
        input = undefined;
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    return new Promise((resolve) =>
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, out, ms: Date.now() - t0 });
      }),
    );
  }

  it('keeps the loop alive until unref(), and again after ref()', async () => {
    const unrefd = await node(`native.watchReadable(0, () => {}).unref(); console.log('end of script');`);
    expect(unrefd).toMatchObject({ code: 0, out: 'end of script\n' });
    const refd = await node(`const w = native.watchReadable(0, () => {}); w.unref(); w.ref();
      setTimeout(() => { w.close(); console.log('closed'); }, 300).unref();`);
    expect(refd).toMatchObject({ code: 0, out: 'closed\n' });
  });

  it('keeps working after its object is garbage-collected', async () => {
    const r = await node(
      `let collected = false;
      const registry = new FinalizationRegistry(() => { collected = true; });
      registry.register(native.watchReadable(0, () => { console.log('readable'); process.exit(0); }), 0);
      (async () => {
        for (let i = 0; i < 100 && !collected; i++) { gc(); await new Promise((r) => setTimeout(r, 10)); }
        console.log(collected ? 'ready' : 'not collected');
      })();`,
      'x',
    );
    expect(r).toMatchObject({ code: 0, out: 'ready\nreadable\n' });
  });

  it('lets a worker thread end with a watch still open (the env cleanup hook closes it)', async () => {
    const worker = `const n = require(${JSON.stringify(addonPath)});
      n.watchReadable(n.seqpacketListen(${JSON.stringify(sock)}, 0o600), () => {});
      require('node:worker_threads').parentPort.postMessage('watching');`;
    const r = await node(`const { Worker } = require('node:worker_threads');
      const w = new Worker(${JSON.stringify(worker)}, { eval: true });
      w.on('message', async () => { await w.terminate(); console.log('terminated'); });`);
    // Without the hook node aborts: the worker's loop still holds the handle.
    expect(r).toMatchObject({ code: 0, out: 'terminated\n' });
  });

  it('makes an exception in the callback an uncaught exception', async () => {
    const r = await node(
      `process.on('uncaughtException', (e) => { console.log('uncaught', e.message); process.exit(0); });
      native.watchReadable(0, () => { throw new Error('boom'); });
      console.log('ready');`,
      'x',
    );
    expect(r).toMatchObject({ code: 0, out: 'ready\nuncaught boom\n' });
  });
});
