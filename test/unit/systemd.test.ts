import { describe, expect, it } from 'vitest';
import { cgroupPaths } from '../../src/cgroup/paths.js';
import { expandSlice, systemdCgroupPath } from '../../src/cgroup/systemd.js';

describe('systemd cgroup paths', () => {
  it('expands slices like systemd', () => {
    expect(expandSlice('kubepods-burstable-pod1.slice', 'x')).toBe('kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice');
    expect(expandSlice('-.slice', 'x')).toBe('');
    expect(expandSlice('system.slice', 'x')).toBe('system.slice');
    for (const bad of ['a--b.slice', '-a.slice', 'a-.slice', 'a.scope', '.slice']) expect(() => expandSlice(bad, 'x')).toThrow();
  });
  it('turns slice:prefix:name into a scope under the slice (the example CRI-O and lxcri use)', () => {
    expect(systemdCgroupPath('kubepods-burstable-123.slice:crio:ABC', 'ABC')).toBe(
      'kubepods.slice/kubepods-burstable.slice/kubepods-burstable-123.slice/crio-ABC.scope',
    );
    expect(systemdCgroupPath(':libpod:c1', 'c1')).toBe('system.slice/libpod-c1.scope');
    expect(systemdCgroupPath('machine.slice::x', 'x')).toBe('machine.slice/x.scope');
    expect(systemdCgroupPath('user.slice:p:sub-x.slice', 'x')).toBe('user.slice/sub-x.slice');
    expect(() => systemdCgroupPath('/kubepods/pod1/x', 'x')).toThrow(/slice:prefix:name/);
  });
  it('is used only with --systemd-cgroup', () => {
    expect(cgroupPaths('x', 'a.slice:p:x', 'm', true).container).toBe('a.slice/p-x.scope');
    expect(cgroupPaths('x', '/plain/x', 'm', false).container).toBe('plain/x');
  });
});
