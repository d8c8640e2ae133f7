// The container's mounts as its own /proc/self/mountinfo shows them, compared with runc
// on the same bundle: the config's mounts in the listed order (with /dev/pts in its place,
// not after all others) and /dev/ptmx a symlink to pts/ptmx.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env, leftovers, makeBundle } from '../helpers/lxcri.js';
import { runRunc } from '../helpers/oci.js';
import type { Mount, Spec } from '../../src/spec/types.js';

let env: Env;
beforeAll(() => {
  env = new Env();
});
afterAll(async () => {
  await env.cleanup();
});

/** Mount points in mountinfo order (octal escapes decoded). */
function mountPoints(mountinfo: string): string[] {
  return mountinfo
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ')[4]!.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
}

/** lxcri's and runc's view of the config's destinations, in mountinfo order. */
async function bothOrders(id: string, edit: (s: Spec) => void): Promise<{ config: string[]; lxcri: string[]; runc: string[] }> {
  let config: string[] = [];
  const bundle = makeBundle(env, id, (s) => {
    s.process!.args = ['cat', '/proc/self/mountinfo'];
    edit(s);
    config = (s.mounts ?? []).map((m) => m.destination);
  });
  const ours = await env.run(['run', '--bundle', bundle, id]);
  expect(ours.stderr).toBe('');
  expect(ours.code).toBe(0);
  expect(leftovers(env, id)).toEqual([]);
  const theirs = await runRunc(env, bundle, `${id}-runc`);
  expect(theirs.stderr).toBe('');
  expect(theirs.code).toBe(0);
  const inConfig = (mi: string): string[] => mountPoints(mi).filter((p) => config.includes(p));
  return { config, lxcri: inConfig(ours.stdout), runc: inConfig(theirs.stdout) };
}

describe('mounts in the order the config lists them', () => {
  it('mounts the default mounts of a runc spec in their order, /dev/pts third', async () => {
    const { config, lxcri, runc } = await bothOrders('mo-order', () => undefined);
    expect(config.slice(0, 6)).toEqual(['/proc', '/dev', '/dev/pts', '/dev/shm', '/dev/mqueue', '/sys']);
    expect(lxcri).toEqual(config);
    expect(runc).toEqual(config);
  });

  it('keeps binds listed between the default mounts in their places', async () => {
    const src = join(env.dir, 'mo-binds-src');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'f'), 'x');
    const bind = (destination: string): Mount => ({ destination, type: 'bind', source: src, options: ['rbind', 'ro'] });
    const { config, lxcri, runc } = await bothOrders('mo-binds', (s) => {
      const m = s.mounts!;
      const at = (d: string): number => m.findIndex((x) => x.destination === d);
      m.splice(at('/dev/pts'), 0, bind('/mnt/before-pts'));
      m.splice(at('/dev/pts') + 1, 0, bind('/mnt/after-pts'));
      m.splice(at('/sys'), 0, bind('/mnt/before-sys'));
      m.push(bind('/mnt/last'));
    });
    expect(config).toContain('/mnt/after-pts');
    expect(lxcri).toEqual(config);
    expect(runc).toEqual(config);
  });
});

describe('mounts in order in a user namespace', () => {
  it('mounts the default mounts in their order as the mapped root', async () => {
    const { config, lxcri, runc } = await bothOrders('mo-order-userns', (s) => {
      s.linux!.namespaces!.push({ type: 'user' });
      s.linux!.uidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
      s.linux!.gidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
    });
    expect(lxcri).toEqual(config);
    expect(runc).toEqual(config);
  });
});

describe('/dev/ptmx', () => {
  it('is a symlink to pts/ptmx that opens the container devpts, as with runc', async () => {
    const script = 'readlink /dev/ptmx; stat -c %F /dev/ptmx; stat -L -c %t:%T /dev/ptmx; ls /dev/pts';
    const bundle = makeBundle(env, 'mo-ptmx', (s) => {
      s.process!.args = ['sh', '-c', script];
    });
    const ours = await env.run(['run', '--bundle', bundle, 'mo-ptmx']);
    expect(ours.stderr).toBe('');
    expect(ours.stdout).toBe('pts/ptmx\nsymbolic link\n5:2\nptmx\n');
    const theirs = await runRunc(env, bundle, 'mo-ptmx-runc');
    expect(theirs.stdout).toBe(ours.stdout);
  });
});
