import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveInRoot } from '../../src/lxc/mountpath.js';

const root = mkdtempSync(join(tmpdir(), 'lxcri-mountpath-'));
mkdirSync(join(root, 'run/secrets'), { recursive: true });
mkdirSync(join(root, 'etc'));
symlinkSync('/run', join(root, 'var-run')); // like /var/run -> /run
symlinkSync('../run/secrets', join(root, 'etc/secrets'));
symlinkSync('/tmp/host-outside', join(root, 'abs'));
symlinkSync('../../../../../etc', join(root, 'up'));
symlinkSync('loop2', join(root, 'loop1'));
symlinkSync('loop1', join(root, 'loop2'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('resolveInRoot', () => {
  it('keeps plain paths', () => {
    expect(resolveInRoot(root, '/proc')).toBe('proc');
    expect(resolveInRoot(root, '/a/b/./c')).toBe('a/b/c');
  });
  it('re-roots absolute symlinks at the rootfs', () => {
    expect(resolveInRoot(root, '/var-run/secrets/token')).toBe('run/secrets/token');
    expect(resolveInRoot(root, '/abs/x')).toBe('tmp/host-outside/x');
  });
  it('follows relative symlinks inside the rootfs', () => {
    expect(resolveInRoot(root, '/etc/secrets/k')).toBe('run/secrets/k');
  });
  it('refuses escapes and loops', () => {
    expect(() => resolveInRoot(root, '/up/passwd')).toThrow(/escapes the rootfs/);
    expect(() => resolveInRoot(root, '/../x')).toThrow(/escapes the rootfs/);
    expect(() => resolveInRoot(root, '/missing/../../x')).toThrow(/"\.\."/);
    expect(() => resolveInRoot(root, '/loop1/x')).toThrow(/too many symlinks/);
  });
});
