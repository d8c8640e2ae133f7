// The two ways limits reach a container's cgroups: cgroup v2 files in the unified
// hierarchy (./resources.ts) or cgroup v1 files in the controllers' own hierarchies
// (./v1/resources.ts). Create (liblxc keys) and update (file writes) pick the same one.
import type { CgroupVersion } from './controllers.js';
import { resourceLimits, type ResourceLimits } from './resources.js';
import { resourceLimitsV1 } from './v1/resources.js';

export function limitsFor(version: CgroupVersion | undefined, resources: unknown): ResourceLimits {
  return version === 'v1' ? resourceLimitsV1(resources) : resourceLimits(resources);
}

/** liblxc's key for a cgroup file: it writes them after creating the cgroups, before the init runs. */
export function lxcCgroupKey(version: CgroupVersion | undefined, file: string): string {
  return version === 'v1' ? `lxc.cgroup.${file}` : `lxc.cgroup2.${file}`;
}

/** Whether a linux.resources object asks for anything besides device rules. */
export function hasLimits(resources: unknown): boolean {
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) return resources !== undefined && resources !== null;
  return Object.entries(resources).some(([k, v]) => k !== 'devices' && v !== undefined && v !== null);
}
