// The cgroup paths of a container and of its monitor, relative to each hierarchy's root.
import { RuntimeError } from '../base/errors.js';
import { systemdCgroupPath } from './systemd.js';

export const DEFAULT_PARENT = 'lxcri';
export const DEFAULT_MONITOR_CGROUP = 'lxcri-monitor.slice';

export interface CgroupPaths {
  /** The container's cgroup (liblxc's lxc.cgroup.dir.container). */
  container: string;
  /** The monitor's cgroup (lxc.cgroup.dir.monitor). */
  monitor: string;
  /** Where the monitor moves itself before it removes its cgroup on exit. */
  monitorPivot: string;
}

function clean(path: string, what: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw new RuntimeError('invalid-spec', `${what} "${path}" must not contain ".."`);
  if (parts.length === 0) throw new RuntimeError('invalid-spec', `${what} "${path}" names the cgroup root`);
  return parts.join('/');
}

/**
 * linux.cgroupsPath, absolute or relative, is taken relative to the hierarchy root (as
 * lxcri and crun's cgroupfs manager do), or expanded from systemd's slice:prefix:name
 * with --systemd-cgroup; without one the container goes to lxcri/<id>.
 */
export function cgroupPaths(id: string, cgroupsPath: string | undefined, monitorParent: string, systemd = false): CgroupPaths {
  const given = cgroupsPath && systemd ? systemdCgroupPath(cgroupsPath, id) : cgroupsPath;
  const container = given ? clean(given, 'linux.cgroupsPath') : `${DEFAULT_PARENT}/${id}`;
  const pivot = clean(monitorParent, 'monitor cgroup');
  return { container, monitor: `${pivot}/${id}.scope`, monitorPivot: pivot };
}
