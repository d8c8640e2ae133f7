// What lxcri-attach needs to join a container by itself (no liblxc, no monitor): the
// init it joins, the container's cgroup in every hierarchy, and the exec-time LSM label.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hierarchyDirs, type CgroupMounts } from '../cgroup/mounts.js';
import type { LsmHost } from '../lxc/lsm.js';
import type { Process, Spec } from '../spec/types.js';
import { errorMessage, RuntimeError } from '../base/errors.js';
import { RUNDIR } from '../base/layout.js';
import type { ProcRef } from './proc.js';

/** The container's cgroup dir in each hierarchy where it exists (v1 ones and the unified). */
export function cgroupDirs(mounts: CgroupMounts, container: string): string[] {
  return hierarchyDirs(mounts, container).filter((d) => existsSync(join(d, 'cgroup.procs')));
}

/**
 * The label the exec'd process gets, as liblxc's attach gave it: the process's own, else
 * the container's; only for an LSM the host has (the container could not have one else).
 * AppArmor's "unconfined" is what lxcri runs as anyway: no transition is asked for.
 */
export function lsmArgs(p: Process, container: Process | undefined, host: LsmHost): string[] {
  if (host.apparmor) {
    const profile = p.apparmorProfile || container?.apparmorProfile;
    if (profile && profile !== 'unconfined') return ['--apparmor', profile];
  }
  if (host.selinux) {
    const label = p.selinuxLabel || container?.selinuxLabel;
    if (label) return ['--selinux', label];
  }
  return [];
}

/** The container's own process from the config.json create stored: no label is guessed. */
export function storedProcess(id: string, runtimeDir: string): Process | undefined {
  try {
    return (JSON.parse(readFileSync(join(runtimeDir, RUNDIR.spec), 'utf8')) as Spec).process;
  } catch (err) {
    throw new RuntimeError('system', `container "${id}": cannot read its config.json: ${errorMessage(err)}`);
  }
}

/** lxcri-attach's join arguments. */
export function joinArgs(init: ProcRef, cgroups: string[], lsm: string[]): string[] {
  const args = ['--pid', String(init.pid), '--start', String(init.start)];
  for (const d of cgroups) args.push('--cgroup', d);
  return [...args, ...lsm];
}
