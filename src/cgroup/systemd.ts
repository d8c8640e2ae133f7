// linux.cgroupsPath in systemd's "slice:prefix:name" form (CRI-O and conmon with
// --systemd-cgroup): the cgroupfs path systemd would give it, made without systemd.
import { invalidSpec, RuntimeError } from '../base/errors.js';

const invalid = (path: string, why: string): RuntimeError =>
  invalidSpec(`linux.cgroupsPath "${path}": ${why}`);

/** "a-b-c.slice" → "a.slice/a-b.slice/a-b-c.slice"; "-.slice" is the root. */
export function expandSlice(slice: string, path: string): string {
  if (!slice.endsWith('.slice')) throw invalid(path, `"${slice}" is not a slice`);
  const name = slice.slice(0, -'.slice'.length);
  if (name === '-') return '';
  if (name === '' || name.includes('/') || name.startsWith('-') || name.endsWith('-') || name.includes('--')) {
    throw invalid(path, `invalid slice name "${slice}"`);
  }
  const parts = name.split('-');
  return parts.map((_, i) => `${parts.slice(0, i + 1).join('-')}.slice`).join('/');
}

/** "kubepods-burstable-pod1.slice:crio:ID" → "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/crio-ID.scope" */
export function systemdCgroupPath(cgroupsPath: string, id: string): string {
  const parts = cgroupsPath.split(':');
  if (parts.length !== 3) throw invalid(cgroupsPath, 'with --systemd-cgroup it must be "slice:prefix:name"');
  const [slice, prefix, name] = parts as [string, string, string];
  const parent = expandSlice(slice || 'system.slice', cgroupsPath);
  const unit = name.endsWith('.slice') ? expandSlice(name, cgroupsPath).split('/').pop()! : `${prefix ? `${prefix}-` : ''}${name || id}.scope`;
  if (unit.includes('/')) throw invalid(cgroupsPath, `invalid unit name "${unit}"`);
  return parent ? `${parent}/${unit}` : unit;
}
