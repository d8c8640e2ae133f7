// Which cgroup controllers can take the container's limits, and the check that every
// limit has its controller (and, on cgroup v1, its file). On cgroup v2, liblxc enables
// what a cgroup needs in the subtree_control of every parent it creates, from the
// hierarchy root down (measured with liblxc 5.0.2 on a pure cgroup2 host, even
// re-enabling a controller disabled at the root), so a controller is usable when the
// cgroup2 root offers it. On a host with v1 controllers (hybrid or
// pure v1) liblxc ignores every lxc.cgroup2.* key ("Ignoring cgroup2 limits on legacy
// cgroup system") and applies lxc.cgroup.* in the v1 hierarchies: there the limits are
// cgroup v1 files (./v1/) and a controller is usable when a v1 hierarchy holds it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CgroupLimit, controllerOf } from './limits.js';
import type { CgroupMounts } from './mounts.js';
import { v1HasFile, v1Hierarchies, type V1Hierarchies } from './v1/hierarchies.js';

export type CgroupVersion = 'v1' | 'v2';

export interface ControllerHost {
  /** Controllers whose files the container's cgroup can have. */
  available: ReadonlySet<string>;
  /** Why a controller missing from `available` is missing, for messages. */
  why: string;
  /** Which backend's files the limits are: v2 unless said otherwise. */
  version?: CgroupVersion;
  /** cgroup v1: whether the container's cgroup has (or will have) this file. */
  hasFile?: (file: string) => boolean;
}

function readControllers(file: string): Set<string> | undefined {
  try {
    return new Set(readFileSync(file, 'utf8').split(/\s+/).filter(Boolean));
  } catch {
    return undefined;
  }
}

/** The controllers of the v1 hierarchies; files are looked up in `rel` or the roots. */
export function v1Controllers(h: V1Hierarchies, rel?: string): ControllerHost {
  const available = new Set(h.keys());
  return {
    version: 'v1',
    available,
    why: `this host's cgroup v1 hierarchies have: ${[...available].sort().join(' ') || 'none'}`,
    hasFile: (file) => v1HasFile(h, controllerOf(file), file, rel),
  };
}

/** Where a new container's limits go (create): the v1 hierarchies if the host has any, else cgroup2. */
export function hostLimitControllers(mounts: CgroupMounts, hierarchies?: V1Hierarchies): ControllerHost {
  return mounts.v1.length > 0 ? v1Controllers(hierarchies ?? v1Hierarchies()) : hostControllers(mounts);
}

/** What a new container can get from cgroup2 on this host. */
export function hostControllers(mounts: CgroupMounts): ControllerHost {
  if (!mounts.unified) return { available: new Set(), why: 'this host has no cgroup2 hierarchy' };
  if (mounts.v1.length > 0) return { available: new Set(), why: 'this host has cgroup v1 controllers' };
  const available = readControllers(join(mounts.unified, 'cgroup.controllers')) ?? new Set<string>();
  return { available, why: `the cgroup2 root offers: ${[...available].join(' ') || 'none'}` };
}

/** What an existing cgroup2 cgroup has enabled (update): its cgroup.controllers. */
export function cgroupControllers(dir: string): ControllerHost {
  const available = readControllers(join(dir, 'cgroup.controllers'));
  if (!available) return { available: new Set(), why: `the container's cgroup ${dir} cannot be read` };
  return { available, why: `the container's cgroup has: ${[...available].join(' ') || 'none'}` };
}

/** The top-level linux.resources field of a limit ("memory" for "memory.swap"). */
export function topField(field: string): string {
  if (field.startsWith('unified.')) return field;
  return field.split(/[.[]/)[0]!;
}

export interface Unavailable {
  controller: string;
  field: string;
  message: string;
}

const controllerUsable = (l: CgroupLimit, host: ControllerHost): boolean => l.controller === 'cgroup' || host.available.has(l.controller);

/** Whether the host can take this limit: its controller and (cgroup v1) its file exist. */
export function limitUsable(l: CgroupLimit, host: ControllerHost): boolean {
  return controllerUsable(l, host) && (!host.hasFile || host.hasFile(l.file));
}

/**
 * Limits whose controller is missing (the cgroup core's own files always exist) and, on
 * cgroup v1, limits whose file this kernel's controller lacks (e.g. memsw without swap
 * accounting, blkio weights without a CFQ/BFQ scheduler, real-time without RT_GROUP_SCHED).
 */
export function unavailableLimits(limits: readonly CgroupLimit[], host: ControllerHost): Unavailable[] {
  const seen = new Set<string>();
  const out: Unavailable[] = [];
  const where = host.version === 'v1' ? 'cgroup v1' : 'cgroup2';
  for (const l of limits) {
    let field: string;
    let message: string;
    if (!controllerUsable(l, host)) {
      field = topField(l.field);
      message = `the ${l.controller} controller is not available in ${where} (${host.why})`;
    } else if (host.hasFile && !host.hasFile(l.file)) {
      field = l.field.replace(/\[\d+\]$/, '');
      message = `the ${l.controller} controller of this kernel has no ${l.file}`;
    } else continue;
    const key = `${l.controller} ${field}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ controller: l.controller, field, message });
  }
  return out;
}
