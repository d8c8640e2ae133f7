// Mount points walked inside the rootfs by fd (issue 14 item 3): symlinks resolved as the
// container sees them, earlier mounts laid over the rootfs, nothing made outside it.
import { chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MountPoints } from '../../src/lxc/mountpoints.js';

const base = mkdtempSync(join(tmpdir(), 'lxcri-pth-mountpoints-'));
const outside = join(base, 'outside'); // stands for any host path
const root = join(base, 'rootfs');
const vol = join(base, 'vol');
mkdirSync(join(root, 'run/secrets'), { recursive: true });
mkdirSync(join(root, 'etc'));
mkdirSync(vol);
symlinkSync('/run', join(root, 'var-run')); // like /var/run -> /run
symlinkSync('../run/secrets', join(root, 'etc/secrets'));
symlinkSync(outside, join(root, 'abs'));
symlinkSync(`/proc/self/root${outside}`, join(root, '.lxcri'));
symlinkSync(`/proc/1/root${outside}`, join(root, 'init-link'));
symlinkSync('../../../../../etc', join(root, 'up'));
symlinkSync('loop2', join(root, 'loop1'));
symlinkSync('loop1', join(root, 'loop2'));
writeFileSync(join(root, 'etc/zero'), '', { mode: 0o000 });
symlinkSync(outside, join(vol, 'link'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const dir = { fs: 'kernel' } as const;
const STAGE = { stageDir: '/r/stage' };

describe('MountPoints', () => {
  it('makes plain paths in the rootfs and keeps existing ones', () => {
    const p = new MountPoints(root, STAGE);
    expect(p.place('/a/b/./c', 'dir', dir)).toEqual({ path: 'a/b/c' });
    expect(statSync(join(root, 'a/b/c')).isDirectory()).toBe(true);
    expect(p.place('/a/f', 'file', { fs: 'bind', source: '/etc/hostname' })).toEqual({ path: 'a/f' });
    expect(statSync(join(root, 'a/f')).isFile()).toBe(true);
    expect(p.place('/etc/zero', 'file', { fs: 'bind', source: '/etc/hostname' })).toEqual({ path: 'etc/zero' });
    expect(statSync(join(root, 'etc/zero')).mode & 0o777).toBe(0);
  });

  it('re-roots absolute symlinks at the rootfs, magic link text included', () => {
    const p = new MountPoints(root, STAGE);
    expect(p.place('/var-run/secrets/token', 'file', dir)).toEqual({ path: 'run/secrets/token' });
    expect(p.place('/abs/x', 'dir', dir)).toEqual({ path: `${outside.slice(1)}/x` });
    expect(p.place('/.lxcri', 'dir', dir)).toEqual({ path: `proc/self/root${outside}` });
    expect(existsSync(join(root, outside, 'x'))).toBe(true);
    expect(existsSync(outside)).toBe(false);
  });

  it('follows relative symlinks inside the rootfs', () => {
    expect(new MountPoints(root, STAGE).place('/etc/secrets/k', 'dir', dir)).toEqual({ path: 'run/secrets/k' });
  });

  it('refuses escapes and loops', () => {
    const p = new MountPoints(root, STAGE);
    expect(() => p.place('/up/passwd', 'file', dir)).toThrow(/escapes the rootfs/);
    expect(() => p.place('/../x', 'dir', dir)).toThrow(/escapes the rootfs/);
    expect(() => p.place('/missing/../../x', 'dir', dir)).toThrow(/"\.\."/);
    expect(() => p.place('/loop1/x', 'dir', dir)).toThrow(/too many symlinks/);
    expect(() => p.place('/etc/zero/x', 'dir', dir)).toThrow(/^mount destination \/etc\/zero\/x: cannot make its mount point \/etc\/zero\/x: Not a directory$|\/etc\/zero is not a directory/);
    expect(existsSync(outside)).toBe(false);
  });

  it('goes on below an earlier mount where the container will see it', () => {
    const p = new MountPoints(root, STAGE);
    // A proc mount first: the link leads into it, where nothing is made (liblxc's mount
    // refuses the symlink /proc/1/root).
    p.place('/proc', 'dir', { fs: 'kernel' });
    expect(p.place('/init-link', 'dir', dir)).toEqual({ path: `proc/1/root${outside}` });
    expect(readdirSync(join(root, 'proc'))).toEqual(['self']); // the earlier test's, without proc
    // A tmpfs is staged: what is below it is made there by lxcri-hook, never in the rootfs.
    const dev = p.stageTmpfs('tmpfs', 2, 'mode=755');
    expect(dev).toEqual({ id: 0, path: '/r/stage/0' });
    p.place('/dev', 'dir', { fs: 'fresh', stage: dev.id });
    expect(p.place('/dev/pts', 'dir', { fs: 'kernel' })).toEqual({ path: 'dev/pts' });
    expect(p.place('/dev/pts/ptmx', 'file', dir)).toEqual({ path: 'dev/pts/ptmx' });
    expect(p.place('/dev/shm/x', 'file', dir)).toEqual({ path: 'dev/shm/x' });
    const shm = p.stageTmpfs('shm', 0, '');
    p.place('/dev/shm', 'dir', { fs: 'fresh', stage: shm.id });
    expect(p.place('/dev/shm/y/z', 'dir', dir)).toEqual({ path: 'dev/shm/y/z' });
    expect(p.staged).toEqual([
      { id: 0, source: 'tmpfs', flags: 2, data: 'mode=755', make: [{ path: 'pts', kind: 'dir' }, { path: 'shm/x', kind: 'file' }, { path: 'shm', kind: 'dir' }] },
      { id: 1, source: 'shm', flags: 0, data: '', make: [{ path: 'y/z', kind: 'dir' }] },
    ]);
    expect(existsSync(join(root, 'dev/pts'))).toBe(false);
    // A volume: made in its source, and its link -> outside is the container's /outside.
    p.place('/vol', 'dir', { fs: 'bind', source: vol });
    expect(p.place('/vol/a/b', 'dir', dir)).toEqual({ path: 'vol/a/b' });
    expect(statSync(join(vol, 'a/b')).isDirectory()).toBe(true);
    expect(p.place('/vol/link/sub', 'dir', dir)).toEqual({ path: `${outside.slice(1)}/sub` });
    expect(statSync(join(root, outside, 'sub')).isDirectory()).toBe(true);
    expect(existsSync(outside)).toBe(false);
    expect(lstatSync(join(vol, 'link')).isSymbolicLink()).toBe(true);
    // Nothing below a file bind.
    p.place('/etc/zero', 'file', { fs: 'bind', source: join(root, 'etc/zero') });
    expect(() => p.place('/etc/zero/x', 'dir', dir)).toThrow(/no directory bind mount/);
  });

  it('makes nothing for an optional mount whose source is missing', () => {
    expect(new MountPoints(root, STAGE).place('/nothing/here', null, dir)).toEqual({ path: 'nothing/here' });
    expect(existsSync(join(root, 'nothing'))).toBe(false);
  });

  it('gives what it makes the owner of the directory it is made in, when asked', () => {
    mkdirSync(join(root, 'owned'));
    chownSync(join(root, 'owned'), 1234, 2345);
    new MountPoints(root, { ...STAGE, inheritOwner: true }).place('/owned/d/e', 'dir', dir);
    new MountPoints(root, STAGE).place('/owned/plain', 'dir', dir);
    expect([statSync(join(root, 'owned/d/e')).uid, statSync(join(root, 'owned/d/e')).gid]).toEqual([1234, 2345]);
    expect(statSync(join(root, 'owned/plain')).uid).toBe(0);
  });
});
