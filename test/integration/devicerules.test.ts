// Device cgroup rules (linux.resources.devices) on real containers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Spec } from '../../src/spec/types.js';
import { readFileSync } from 'node:fs';
import { Env, leftovers, makeBundle } from '../helpers/lxcri.js';
import { deleteRunc, runcCmd } from '../helpers/oci.js';

let env: Env;
beforeAll(() => {
  env = new Env();
});
afterAll(async () => {
  await env.cleanup();
});

/** Prints "<name> ok" or "<name> <error>" for opening each path for reading. */
const probe = (...paths: string[]): string =>
  paths.map((p) => `if head -c1 ${p} >/dev/null 2>/tmp/e; then echo "${p} ok"; else echo "${p} $(cat /tmp/e)"; fi`).join('; ');

const withScript = (script: string, edit: (s: Spec) => void = () => undefined) => (s: Spec): void => {
  s.process!.args = ['sh', '-c', script];
  edit(s);
};

// /dev/net/tun (c 10:200): opening it needs no capability (unlike /dev/mem or /dev/kmsg,
// whose EPERM would not tell the device cgroup's from the capability check's).
const TUN = { path: '/dev/net/tun', type: 'c', major: 10, minor: 200, fileMode: 0o666 };
/** Opens a path for reading and writing; prints "<path> ok" or the shell's error. */
const openRw = (p: string): string => `if (exec 3<>${p}) 2>/tmp/e; then echo "${p} ok"; else sed 's/.*: //' /tmp/e; fi`;

describe('device cgroup rules', () => {
  it('deny-all: the default devices work, a linux.devices node without an allow rule does not', async () => {
    const b = makeBundle(env, 'd0', withScript(`${probe('/dev/null', '/dev/zero', '/dev/urandom', '/dev/full')}; echo x > /dev/null && echo null-write ok; ls /dev/net; ${openRw('/dev/net/tun')}`, (s) => {
      s.linux!.devices = [TUN];
    }));
    const r = await env.run(['run', '--bundle', b, 'd0']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual(['/dev/null ok', '/dev/zero ok', '/dev/urandom ok', '/dev/full ok', 'null-write ok', 'tun', 'Operation not permitted', '']);
    expect(leftovers(env, 'd0')).toEqual([]);
  });

  it('an allow rule for a linux.devices node makes it usable', async () => {
    const b = makeBundle(env, 'd1', withScript(openRw('/dev/net/tun'), (s) => {
      s.linux!.devices = [TUN];
      s.linux!.resources!.devices!.push({ allow: true, type: 'c', major: 10, minor: 200, access: 'rw' });
    }));
    const r = await env.run(['run', '--bundle', b, 'd1']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('/dev/net/tun ok\n');
    expect(r.code).toBe(0);
  });

  it('mknod is allowed for any device (with CAP_MKNOD), opening the node is not', async () => {
    const b = makeBundle(env, 'd2', withScript(`mknod /dev/loop0 b 7 0 && echo mknod ok; ${openRw('/dev/loop0')}`, (s) => {
      for (const set of ['bounding', 'effective', 'permitted'] as const) s.process!.capabilities![set]!.push('CAP_MKNOD');
    }));
    const r = await env.run(['run', '--bundle', b, 'd2']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('mknod ok\nOperation not permitted\n');
    expect(r.code).toBe(0);
  });

  it('type a allows every device', async () => {
    const b = makeBundle(env, 'd3', withScript(`mkdir /dev/net && mknod /dev/net/tun c 10 200 && ${openRw('/dev/net/tun')}`, (s) => {
      for (const set of ['bounding', 'effective', 'permitted'] as const) s.process!.capabilities![set]!.push('CAP_MKNOD');
      s.linux!.resources!.devices = [{ allow: true, type: 'a', access: 'rwm' }];
    }));
    const r = await env.run(['run', '--bundle', b, 'd3']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('/dev/net/tun ok\n');
    expect(r.code).toBe(0);
  });

  it('a spec liblxc cannot express is refused before anything runs', async () => {
    const b = makeBundle(env, 'd4', withScript('true', (s) => {
      s.linux!.resources!.devices!.push({ allow: true, type: 'c', major: 1, access: 'rwm' }, { allow: false, type: 'c', major: 1, minor: 1, access: 'rwm' });
    }));
    const r = await env.run(['create', '--bundle', b, 'd4']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/linux\.resources\.devices\[2\] \(deny c 1:1 rwm\) cannot be expressed/);
    expect(leftovers(env, 'd4')).toEqual([]);
  });

  it('v1 devices.list holds the rules as listed, then the defaults as separate rules, as with runc', async () => {
    const id = 'mo-devlist';
    const b = makeBundle(env, id, withScript('sleep 30', (s) => {
      s.ociVersion = '1.0.2';
      s.linux!.cgroupsPath = `/${id}`; // the same for lxcri and runc, which run one after the other
      s.linux!.resources!.devices!.push(
        { allow: true, type: 'b', major: 8, minor: 20, access: 'rw' },
        { allow: true, type: 'b', major: 10, minor: 200, access: 'r' },
      );
    }));
    const list = (cgroup: string): string[] => readFileSync(`/sys/fs/cgroup/devices/${cgroup}/devices.list`, 'utf8').trimEnd().split('\n');
    let ours: string[];
    const c = await env.run(['create', '--bundle', b, id]);
    try {
      expect(c.stderr).toBe('');
      expect(c.code).toBe(0);
      ours = list(id);
    } finally {
      await env.run(['delete', '--force', id]);
    }
    expect(ours).toEqual([
      'b 8:20 rw', 'b 10:200 r',
      'c *:* m', 'b *:* m', 'c 1:3 rwm', 'c 1:5 rwm', 'c 1:7 rwm', 'c 1:8 rwm', 'c 1:9 rwm', 'c 5:0 rwm', 'c 5:1 rwm', 'c 5:2 rwm', 'c 136:* rwm',
    ]);
    expect(leftovers(env, id)).toEqual([]);
    let theirs: string[];
    try {
      const r = await runcCmd(env, ['create', '--bundle', b, `${id}-runc`]);
      expect(r.stderr).toBe('');
      theirs = list(id);
    } finally {
      deleteRunc(env, `${id}-runc`);
    }
    // runc writes its list in an order of its own; its defaults differ in one device each:
    // lxcri allows /dev/console (5:1), runc 1.1.5 /dev/net/tun (10:200).
    const sameDefaults = (l: string[]): string[] => l.filter((x) => x !== 'c 5:1 rwm' && x !== 'c 10:200 rwm').sort();
    expect(sameDefaults(ours)).toEqual(sameDefaults(theirs));
    expect(theirs).toContain('c 10:200 rwm');
  });
});
