// Bad input to every command: one clear line on stderr, a non-zero exit, nothing left
// behind, and no harm to other containers.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env, leftovers, makeBundle, withArgs, type Result } from '../helpers/lxcri.js';

let env: Env;
beforeAll(() => {
  env = new Env();
});
afterAll(async () => {
  await env.cleanup();
});

function expectOneLineError(r: Result, pattern: RegExp): void {
  expect(r.code).not.toBe(0);
  expect(r.code).not.toBeNull();
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

async function createFails(id: string, bundle: string, pattern: RegExp): Promise<void> {
  const r = await env.run(['create', '--bundle', bundle, id]);
  expectOneLineError(r, pattern);
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
  it('an invalid container ID', async () => {
    await createFails('../evil', makeBundle(env, 'evil'), /invalid container ID/);
  });
});

describe('unknown IDs', () => {
  for (const cmd of [['state'], ['start'], ['kill'], ['delete']]) {
    it(`${cmd[0]} of an unknown ID fails`, async () => {
      expectOneLineError(await env.run([...cmd, 'nosuch']), /container "nosuch" does not exist/);
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
    expectOneLineError(await env.run(['create', '--bundle', b, 'dup']), /container "dup" already exists/);
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
    expectOneLineError(await env.run(['start', 'twice']), /is running, not created/);
    expect(await env.state('twice')).toEqual(st);
    expect((await env.run(['delete', '--force', 'twice'])).code).toBe(0);
  });

  it('a bad signal fails and the container keeps running', async () => {
    const b = makeBundle(env, 'badsig', withArgs('sleep', '60'));
    expect((await env.run(['create', '--bundle', b, 'badsig'])).code).toBe(0);
    for (const sig of ['SIGNOPE', '0', '99', '-9', 'KILL9']) {
      expectOneLineError(await env.run(['kill', 'badsig', sig]), /invalid signal/);
    }
    expect((await env.state('badsig')).status).toBe('created');
    expect((await env.run(['delete', '--force', 'badsig'])).code).toBe(0);
  });

  it('kill and start of a stopped container say "not running"', async () => {
    const b = makeBundle(env, 'ended', withArgs('true'));
    expect((await env.run(['create', '--bundle', b, 'ended'])).code).toBe(0);
    expect((await env.run(['start', 'ended'])).code).toBe(0);
    for (let i = 0; i < 100 && (await env.state('ended')).status !== 'stopped'; i++) await new Promise((r) => setTimeout(r, 50));
    expectOneLineError(await env.run(['kill', 'ended']), /container "ended" not running/);
    expectOneLineError(await env.run(['start', 'ended']), /container "ended" not running/);
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
    expect(u.stderr).toMatch(/Unknown argument/);
  });
});
