// Bad input to every command: one clear line on stderr, a non-zero exit, nothing left
// behind, and no harm to other containers.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env, expectOneLineError, leftovers, makeBundle, withArgs, type Result } from '../helpers/lxcri.js';

let env: Env;
beforeAll(() => {
  env = new Env();
});
afterAll(async () => {
  await env.cleanup();
});

function expectRefusal(r: Result, pattern: RegExp): void {
  expectOneLineError(r, pattern);
  expect(r.stdout).toBe('');
}

async function createFails(id: string, bundle: string, pattern: RegExp): Promise<void> {
  const r = await env.run(['create', '--bundle', bundle, id]);
  expectRefusal(r, pattern);
  expect(leftovers(env, id)).toEqual([]);
}

describe('create refuses bad bundles and leaves nothing', () => {
  it('malformed JSON', async () => {
    await createFails('bad-json', makeBundle(env, 'bad-json', undefined, '{"ociVersion": "1.2.1", '), /malformed JSON/);
  });
  it('schema-invalid config', async () => {
    const b = makeBundle(env, 'bad-schema', (s) => {
      (s.process as unknown as Record<string, unknown>).args = 'sh -c true';
    });
    await createFails('bad-schema', b, /\/process\/args.*must be array/);
  });
  it('missing config.json', async () => {
    await createFails('no-config', env.dir, /config\.json not found/);
  });
  it('missing rootfs', async () => {
    const b = makeBundle(env, 'no-rootfs', (s) => {
      s.root = { path: 'does-not-exist' };
    });
    await createFails('no-rootfs', b, /root\.path .*does-not-exist.*no such directory/);
  });
  it('missing process', async () => {
    const b = makeBundle(env, 'no-process', (s) => {
      delete s.process;
    });
    await createFails('no-process', b, /process is missing/);
  });
  it('no mount namespace', async () => {
    const b = makeBundle(env, 'no-mntns', (s) => {
      s.linux!.namespaces = s.linux!.namespaces!.filter((n) => n.type !== 'mount');
    });
    // Refused with liblxc's reason (see src/spec/load.ts), before anything is touched.
    await createFails('no-mntns', b, /^lxcri: invalid config\.json: a mount namespace is required: liblxc pivot_roots .* root\.path .*host's$/);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(b);
  });
  it('duplicate namespace', async () => {
    const b = makeBundle(env, 'dup-ns', (s) => {
      s.linux!.namespaces!.push({ type: 'pid' });
    });
    await createFails('dup-ns', b, /duplicate namespace "pid"/);
  });
  it('an executable that does not exist', async () => {
    await createFails('no-exe', makeBundle(env, 'no-exe', withArgs('/nonexistent')), /no such file or directory/);
  });
  it('a command not found in PATH', async () => {
    await createFails('no-cmd', makeBundle(env, 'no-cmd', withArgs('nosuchcommand')), /executable file not found in \$PATH/);
  });
  it('a non-executable file', async () => {
    await createFails('not-exe', makeBundle(env, 'not-exe', withArgs('/etc/passwd')), /permission denied/);
  });
  it('a line break where liblxc takes a line (its config and its log)', async () => {
    const m = makeBundle(env, 'bad-nl-mount', (s) => {
      s.mounts!.push({ destination: '/tmp/a\nlxc.hook.pre-start = /bin/false', type: 'tmpfs', source: 'tmpfs' });
    });
    await createFails('bad-nl-mount', m, /^lxcri: invalid config\.json: mount "\/tmp\/a\\nlxc.hook.pre-start = \/bin\/false": a line break in its destination/);
    const root = join(env.dir, 'root\nlxc.x = y');
    mkdirSync(root);
    const r = makeBundle(env, 'bad-nl-root', (s) => {
      s.root = { path: root };
    });
    await createFails('bad-nl-root', r, /^lxcri: invalid config\.json: a line break in the value of lxc\.rootfs\.path/);
  });
  it('an invalid container ID', async () => {
    await createFails('../evil', makeBundle(env, 'evil'), /invalid container ID/);
  });
});

describe('unknown IDs', () => {
  for (const cmd of [['state'], ['start'], ['kill'], ['delete']]) {
    it(`${cmd[0]} of an unknown ID fails`, async () => {
      expectRefusal(await env.run([...cmd, 'nosuch']), /container does not exist: nosuch/);
    });
  }
  it('delete --force of an unknown ID succeeds', async () => {
    const r = await env.run(['delete', '--force', 'nosuch']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('state machine misuse', () => {
  it('a duplicate ID fails and leaves the first container untouched', async () => {
    const b = makeBundle(env, 'dup', withArgs('sleep', '60'));
    expect((await env.run(['create', '--bundle', b, 'dup'])).code).toBe(0);
    const before = await env.state('dup');
    expectRefusal(await env.run(['create', '--bundle', b, 'dup']), /container "dup" already exists/);
    const after = await env.state('dup');
    expect(after).toEqual(before);
    expect((await env.run(['start', 'dup'])).code).toBe(0);
    expect((await env.state('dup')).status).toBe('running');
    expect((await env.run(['delete', '--force', 'dup'])).code).toBe(0);
    expect(leftovers(env, 'dup', [before.pid])).toEqual([]);
  });

  it('start twice fails the second time and harms nothing', async () => {
    const b = makeBundle(env, 'twice', withArgs('sleep', '60'));
    expect((await env.run(['create', '--bundle', b, 'twice'])).code).toBe(0);
    expect((await env.run(['start', 'twice'])).code).toBe(0);
    const st = await env.state('twice');
    expectRefusal(await env.run(['start', 'twice']), /is running, not created/);
    expect(await env.state('twice')).toEqual(st);
    expect((await env.run(['delete', '--force', 'twice'])).code).toBe(0);
  });

  it('a bad signal fails and the container keeps running', async () => {
    const b = makeBundle(env, 'badsig', withArgs('sleep', '60'));
    expect((await env.run(['create', '--bundle', b, 'badsig'])).code).toBe(0);
    for (const sig of ['SIGNOPE', '65', '99', '-9', 'KILL9']) {
      expectRefusal(await env.run(['kill', 'badsig', sig]), /invalid signal/);
    }
    expect((await env.state('badsig')).status).toBe('created');
    expect((await env.run(['delete', '--force', 'badsig'])).code).toBe(0);
  });

  it('kill and start of a stopped container say "not running"', async () => {
    const b = makeBundle(env, 'ended', withArgs('true'));
    expect((await env.run(['create', '--bundle', b, 'ended'])).code).toBe(0);
    expect((await env.run(['start', 'ended'])).code).toBe(0);
    for (let i = 0; i < 100 && (await env.state('ended')).status !== 'stopped'; i++) await new Promise((r) => setTimeout(r, 50));
    expectRefusal(await env.run(['kill', 'ended']), /container not running: ended/);
    expectRefusal(await env.run(['start', 'ended']), /container not running: ended/);
    expect((await env.run(['delete', 'ended'])).code).toBe(0);
    expect(existsSync(join(env.root, 'ended'))).toBe(false);
  });

  it('usage errors go to stderr with exit 2', async () => {
    const r = await env.run(['create']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^lxcri: /);
    const u = await env.run(['frobnicate', 'x']);
    expect(u.code).toBe(2);
    expect(u.stderr).toBe('lxcri: unknown command "frobnicate" (see lxcri --help)\n');
  });
});

describe('usage errors are one line for every command', () => {
  const commands = ['create', 'start', 'state', 'kill', 'delete', 'inspect', 'pause', 'resume', 'update', 'list', 'exec', 'features', 'run'];
  const withId = (c: string): boolean => c !== 'list' && c !== 'features';
  it('unknown options, missing IDs, extra arguments, options without their value', async () => {
    for (const c of commands) {
      const bad: string[][] = [[c, '--bogus', 'bad-x'], [c, '--bogus=1', 'bad-x'], [c, 'bad-x', 'y', 'z', 'w']];
      if (withId(c) && c !== 'update') bad.push([c]);
      for (const args of bad) {
        if (c === 'exec' && args[2] === 'y') continue; // exec's command takes the rest
        const r = await env.run(args);
        expect(r.code, args.join(' ')).toBe(2);
        expectRefusal(r, /^lxcri: .* \(see lxcri --help\)$/);
      }
    }
  });
  it('bad values: a choice, a count, a missing value', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['list', '--format=yaml'], /^lxcri: invalid value "yaml" for --format \(one of: table, json\)/],
      [['list', '--format'], /Not enough arguments following: format/],
      [['create', '--preserve-fds', 'abc', 'bad-x'], /--preserve-fds: "abc" is not a number of file descriptors/],
      [['exec', '--preserve-fds', '-1', 'bad-x', 'true'], /--preserve-fds: "-1" is not a number/],
      [['create', '--bundle'], /Not enough arguments following: bundle/],
      [['update', '--resources', 'bad-x'], /Missing required argument: id|Not enough/],
      [['--root'], /Not enough arguments following: root/],
      [['stat', 'bad-x'], /^lxcri: unknown command "stat"/],
    ];
    for (const [args, pattern] of cases) {
      const r = await env.run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expectRefusal(r, pattern);
    }
  });
});

describe('log file paths that cannot take the log', () => {
  it('fail the call quickly with one line and leave nothing behind', async () => {
    const fifo = join(env.dir, 'log.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const file = join(env.dir, 'plain');
    writeFileSync(file, '');
    const dir = join(env.dir, 'logdir');
    mkdirSync(dir);
    const cases: Array<[string, RegExp]> = [
      ['/proc/nonexistent/x.log', /cannot make its directory: no such file or directory/],
      [dir, /is a directory/],
      ['/dev/full', /is a device, not a regular file/],
      [join(file, 'x.log'), /not a directory/],
      [fifo, /is a FIFO/],
    ];
    const b = makeBundle(env, 'bad-log', withArgs('true'));
    for (const [path, pattern] of cases) {
      for (const args of [['state', 'bad-log'], ['create', '--bundle', b, 'bad-log']]) {
        const began = Date.now();
        const r = await env.run(['--log-file', path, ...args], { timeoutMs: 15_000 });
        expect(Date.now() - began, path).toBeLessThan(5_000);
        expectRefusal(r, new RegExp(`^lxcri: log file ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: ${pattern.source}`));
        expect(leftovers(env, 'bad-log')).toEqual([]);
      }
    }
    // podman's --log (the error of a failed call) on a FIFO without a reader: no hang.
    const began = Date.now();
    expectRefusal(await env.run(['--log', fifo, 'state', 'bad-log'], { timeoutMs: 15_000 }), /container does not exist: bad-log/);
    expect(Date.now() - began).toBeLessThan(5_000);
    // The runtime root is made the same way (Node's recursive mkdir spun here too).
    const began2 = Date.now();
    expectRefusal(
      await env.run(['--root', '/proc/nonexistent/root', 'create', '--bundle', b, 'bad-log'], { timeoutMs: 15_000 }),
      /^lxcri: cannot make the runtime root \/proc\/nonexistent\/root: no such file or directory$/,
    );
    expect(Date.now() - began2).toBeLessThan(5_000);
    // /dev/null is a log that throws everything away; a new directory is made.
    expectRefusal(await env.run(['--log-file', '/dev/null', 'state', 'bad-log']), /container does not exist: bad-log/);
    const fresh = join(env.dir, 'new/dir/lxcri.log');
    expectRefusal(await env.run(['--log-file', fresh, 'state', 'bad-log']), /does not exist/);
    expect(readFileSync(fresh, 'utf8')).toMatch(/"m":"cmd failed"/);
  });
});
