// Hangs and resource exhaustion (issue 14, items 7 to 10): hostile image content, long
// IDs, an init that dies before it reports, blocking files given as input, and timeouts
// too large for Node's timers. Each fails fast with one clear line and leaves nothing, or
// works.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerIds, Env, expectOneLineError, leftovers, makeBundle, rootfsCopy, waitFor, withArgs, type Result } from '../helpers/lxcri.js';

let env: Env;
beforeAll(() => {
  env = new Env();
});
afterAll(async () => {
  await env.cleanup();
});

function expectRefusal(r: Result, pattern: RegExp): void {
  expectOneLineError(r, pattern);
  expect(r.stderr).not.toMatch(/TimeoutOverflowWarning/);
}

/** create that must fail within `withinMs` with one line matching pattern, leaving nothing. */
async function createFailsFast(id: string, bundle: string, pattern: RegExp, withinMs = 10_000, extra: string[] = [], runEnv?: NodeJS.ProcessEnv): Promise<void> {
  const began = Date.now();
  const r = await env.run([...extra, 'create', '--bundle', bundle, id], { timeoutMs: 30_000, env: runEnv });
  const took = Date.now() - began;
  expectRefusal(r, pattern);
  expect(took, `create took ${took} ms`).toBeLessThan(withinMs);
  expect(leftovers(env, id)).toEqual([]);
}


describe('item 7: image files lxcri-init reads are bounded', () => {
  const passwdAs = (name: string, make: (path: string) => void): string => {
    const rootfs = rootfsCopy(env, name);
    rmSync(join(rootfs, 'etc/passwd'), { force: true });
    make(join(rootfs, 'etc/passwd'));
    return makeBundle(env, name, (s) => {
      s.root = { path: rootfs, readonly: true };
      s.process!.args = ['true'];
      // HOME unset: lxcri-init looks the user up in /etc/passwd.
      s.process!.env = (s.process!.env ?? []).filter((e) => !e.startsWith('HOME='));
    });
  };

  it('/etc/passwd -> /dev/zero fails fast with one line', async () => {
    const b = passwdAs('hng-pw-zero', (p) => symlinkSync('/dev/zero', p));
    await createFailsFast('hng-pw-zero', b, /^lxcri: lxcri-init: read \/etc\/passwd \(for HOME\): not a regular file$/);
  });

  it('/etc/passwd as a FIFO fails fast with one line', async () => {
    const b = passwdAs('hng-pw-fifo', (p) => execFileSync('mkfifo', [p]));
    await createFailsFast('hng-pw-fifo', b, /^lxcri: lxcri-init: read \/etc\/passwd \(for HOME\): not a regular file$/);
  });

  it('an /etc/passwd over 4 MiB fails with one line', async () => {
    const b = passwdAs('hng-pw-big', (p) => writeFileSync(p, `${'#'.repeat(1 << 20)}\n`.repeat(5)));
    await createFailsFast('hng-pw-big', b, /^lxcri: lxcri-init: read \/etc\/passwd \(for HOME\): larger than 4 MiB$/);
  });
});

describe('item 8: every accepted ID works in every command', () => {
  const idOf = (n: number): string => `hng${'x'.repeat(n - 3)}`;

  for (const n of [80, 81, 107, 200, 254]) {
    it(`an ID of ${n} characters: create, start, state, exec, kill, delete`, async () => {
      const id = idOf(n);
      const b = makeBundle(env, `long${n}`, withArgs('sleep', '60'));
      const c = await env.run(['create', '--bundle', b, id], { timeoutMs: 30_000 });
      expect(c.stderr).toBe('');
      expect(c.code).toBe(0);
      expect((await env.state(id)).status).toBe('created');
      expect((await env.run(['start', id])).code).toBe(0);
      const st = await env.state(id);
      expect(st.status).toBe('running');
      expect(st.id).toBe(id);
      const e = await env.run(['exec', id, 'echo', 'in']);
      expect(e.stderr).toBe('');
      expect(e.stdout).toBe('in\n');
      expect((await env.run(['kill', id, 'KILL'])).code).toBe(0);
      const d = await env.run(['delete', '--force', id]);
      expect(d.stderr).toBe('');
      expect(d.code).toBe(0);
      expect(leftovers(env, id, [st.pid])).toEqual([]);
      expect(containerIds(env.root)).toEqual([]);
    });
  }

  it('an ID of 254 characters with hooks (lxcri-hook reaches create over hooks.sock)', async () => {
    const id = idOf(254);
    const mark = join(env.dir, 'hook-ran');
    const b = makeBundle(env, 'longhooks', (s) => {
      s.process!.args = ['true'];
      s.hooks = {
        createRuntime: [{ path: '/bin/sh', args: ['sh', '-c', `echo createRuntime >> ${mark}`] }],
        createContainer: [{ path: '/bin/sh', args: ['sh', '-c', 'echo createContainer output'] }],
      };
    });
    const c = await env.run(['create', '--bundle', b, id], { timeoutMs: 30_000 });
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    expect(readFileSync(mark, 'utf8')).toBe('createRuntime\n');
    expect((await env.run(['delete', '--force', id])).code).toBe(0);
    expect(leftovers(env, id)).toEqual([]);
  });

  it('a --console-socket path beyond sun_path receives the terminal', async () => {
    const deep = join(env.dir, 'c'.repeat(150));
    mkdirSync(deep);
    const sock = join(deep, 'console.sock');
    // Python binds it by a relative name (its own cwd) and prints the payload of the one
    // message, which carries the pty master.
    const script = [
      'import array, os, socket, sys',
      'os.chdir(sys.argv[1])',
      's = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)',
      's.bind("console.sock")',
      's.listen(1)',
      'print("listening", flush=True)',
      'c, _ = s.accept()',
      'fds = array.array("i")',
      'msg, anc, _, _ = c.recvmsg(1024, socket.CMSG_LEN(fds.itemsize))',
      'print(msg.decode(), len(anc), flush=True)',
    ].join('\n');
    const py = spawn('python3', ['-c', script, deep], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    py.stdout.on('data', (d) => (out += String(d)));
    const id = idOf(200);
    try {
      await waitFor(() => out.includes('listening'), 10_000, 'python to listen');
      const b = makeBundle(env, 'longtty', (s) => {
        s.process!.terminal = true;
        s.process!.args = ['sleep', '60'];
      });
      const c = await env.run(['create', '--bundle', b, '--console-socket', sock, id], { timeoutMs: 30_000 });
      expect(c.stderr).toBe('');
      expect(c.code).toBe(0);
      await waitFor(() => /\/dev\/pts\/\d+ 1/.test(out), 10_000, 'the pty master at the console socket');
    } finally {
      py.kill('SIGKILL');
    }
    expect((await env.run(['delete', '--force', id])).code).toBe(0);
    expect(leftovers(env, id)).toEqual([]);
  });

  it('an ID of 255 or more characters is refused by every command with one line', async () => {
    const b = makeBundle(env, 'long255', withArgs('true'));
    for (const n of [255, 256, 300, 5000]) {
      const id = idOf(n);
      const pattern = new RegExp(`^lxcri: invalid container ID "hngx+\\.\\.\\." \\(${n} characters\\): at most 254`);
      await createFailsFast(id, b, pattern);
      for (const cmd of [['state', id], ['start', id], ['kill', id, 'KILL'], ['delete', '--force', id], ['exec', id, 'true']]) {
        expectRefusal(await env.run(cmd), pattern);
      }
    }
    mkdirSync(env.root, { recursive: true });
    expect(containerIds(env.root)).toEqual([]);
  });
});

describe('item 9: create learns at once of an init that dies or of input that blocks', () => {
  it('an init killed by RLIMIT_AS of 1 MiB before it reports: one line within seconds', async () => {
    const b = makeBundle(env, 'hng-as', (s) => {
      s.process!.args = ['true'];
      s.process!.rlimits = [...(s.process!.rlimits ?? []), { type: 'RLIMIT_AS', hard: 1 << 20, soft: 1 << 20 }];
    });
    await createFailsFast('hng-as', b, /^lxcri: container init exited before it was ready: killed by signal \d+ \(SIG[A-Z]+\)$/);
  });

  for (const action of ['SCMP_ACT_KILL', 'SCMP_ACT_ERRNO'] as const) {
    it(`a seccomp rule denying read (${action}) fails create within seconds with one line`, async () => {
      const id = `hng-sc-${action.slice(9).toLowerCase()}`;
      const b = makeBundle(env, id, (s) => {
        s.process!.args = ['true'];
        // Without no_new_privs lxcri-init loads the filter before it reads /etc/passwd.
        s.process!.noNewPrivileges = false;
        s.process!.env = (s.process!.env ?? []).filter((e) => !e.startsWith('HOME='));
        s.linux!.seccomp = { defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86_64'], syscalls: [{ names: ['read'], action }] };
      });
      await createFailsFast(id, b, action === 'SCMP_ACT_KILL' ? /^lxcri: .*(SIGSYS|signal 31)/ : /^lxcri: lxcri-init: read \/etc\/passwd \(for HOME\): Operation not permitted$/);
    });
  }

  it('a namespace path that is a FIFO is refused at once', async () => {
    const fifo = join(env.dir, 'ns-fifo');
    execFileSync('mkfifo', [fifo]);
    const b = makeBundle(env, 'hng-nsfifo', (s) => {
      s.linux!.namespaces = s.linux!.namespaces!.map((n) => (n.type === 'network' ? { type: 'network', path: fifo } : n));
    });
    await createFailsFast('hng-nsfifo', b, /^lxcri: invalid config\.json: network namespace path .*ns-fifo is not a namespace$/, 5_000);
  });

  for (const kind of ['/dev/zero', 'a FIFO', 'a directory'] as const) {
    it(`LXCRI_ENV_FILE naming ${kind} is refused at once with one line`, async () => {
      let file: string = kind;
      if (kind === 'a FIFO') {
        file = join(env.dir, 'env-fifo');
        execFileSync('mkfifo', [file]);
      } else if (kind === 'a directory') {
        file = env.dir;
      }
      const began = Date.now();
      const r = await env.run(['list'], { env: { LXCRI_ENV_FILE: file }, timeoutMs: 15_000 });
      expectRefusal(r, new RegExp(`^lxcri: cannot read environment file ${file.replace(/[/.]/g, '\\$&')}: not a regular file$`));
      expect(Date.now() - began).toBeLessThan(5_000);
    });
  }
});

describe('item 10: timeouts beyond what a timer holds are refused', () => {
  for (const value of ['1e10', '2147484', 'Infinity']) {
    it(`--create-timeout ${value}`, async () => {
      const b = makeBundle(env, 'hng-to', withArgs('true'));
      await createFailsFast('hng-to', b, new RegExp(`^lxcri: --create-timeout: "${value}" is (more than 2147483 seconds|not a positive number of seconds)`), 5_000, ['--create-timeout', value]);
    });
  }

  it('LXCRI_CREATE_HOOK_TIMEOUT=1e10 in the environment', async () => {
    const b = makeBundle(env, 'hng-to-env', withArgs('true'));
    await createFailsFast('hng-to-env', b, /^lxcri: LXCRI_CREATE_HOOK_TIMEOUT: "1e10" is more than 2147483 seconds/, 5_000, [], { LXCRI_CREATE_HOOK_TIMEOUT: '1e10' });
  });

  it('a hook timeout of 2^53 seconds is refused before anything runs', async () => {
    const mark = join(env.dir, 'overflow-hook-ran');
    const b = makeBundle(env, 'hng-hookto', (s) => {
      s.hooks = { prestart: [{ path: '/bin/sh', args: ['sh', '-c', `touch ${mark}; sleep 1`], timeout: 2 ** 53 }] };
    });
    await createFailsFast('hng-hookto', b, /^lxcri: invalid config\.json: hooks\.prestart\[0\]\.timeout 9007199254740992 is more than 2147483 seconds/, 5_000);
    expect(existsSync(mark)).toBe(false);
  });

  it('the longest timeout accepted (2147483 s) works, and a hook timeout of 2147483 s too', async () => {
    const b = makeBundle(env, 'hng-maxto', (s) => {
      s.process!.args = ['true'];
      s.hooks = { prestart: [{ path: '/bin/true', timeout: 2147483 }] };
    });
    const r = await env.run(['--create-timeout', '2147483', 'create', '--bundle', b, 'hng-maxto']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await env.run(['delete', '--force', 'hng-maxto'])).code).toBe(0);
    expect(leftovers(env, 'hng-maxto')).toEqual([]);
  });
});
