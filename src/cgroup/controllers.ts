// Which cgroup v2 controllers can take the container's limits, and the check that every
// limit has its controller. liblxc enables what a cgroup needs in the subtree_control of
// every parent it creates, from the hierarchy root down (measured with liblxc 5.0.2 on a
// pure cgroup2 host, even re-enabling a controller disabled at the root), so a controller
// is usable when the cgroup2 root offers it. On a hybrid host liblxc ignores every
// lxc.cgroup2.* key ("Ignoring cgroup2 limits on legacy cgroup system"): nothing is usable.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CgroupLimit } from './limits.js';
import type { CgroupMounts } from './mounts.js';

export interface ControllerHost {
  /** Controllers whose files the container's cgroup can have. */
  available: ReadonlySet<string>;
  /** Why a controller missing from `available` is missing, for messages. */
  why: string;
}

function readControllers(file: string): Set<string> | undefined {
  try {
    return new Set(readFileSync(file, 'utf8').split(/\s+/).filter(Boolean));
  } catch {
    return undefined;
  }
}

/** What a new container can get on this host (create). */
export function hostControllers(mounts: CgroupMounts): ControllerHost {
  if (!mounts.unified) return { available: new Set(), why: 'this host has no cgroup2 hierarchy' };
  if (mounts.v1.length > 0) return { available: new Set(), why: 'this host has cgroup v1 controllers' };
  const available = readControllers(join(mounts.unified, 'cgroup.controllers')) ?? new Set<string>();
  return { available, why: `the cgroup2 root offers: ${[...available].join(' ') || 'none'}` };
}

/** What an existing cgroup has enabled (update): its cgroup.controllers. */
export function cgroupControllers(dir: string, hybrid: boolean): ControllerHost {
  const available = readControllers(join(dir, 'cgroup.controllers'));
  if (!available) return { available: new Set(), why: `the container's cgroup ${dir} cannot be read` };
  if (hybrid) return { available, why: 'this host has cgroup v1 controllers' };
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

/** Limits whose controller is missing (the cgroup core's own files always exist). */
export function unavailableLimits(limits: readonly CgroupLimit[], host: ControllerHost): Unavailable[] {
  const seen = new Set<string>();
  const out: Unavailable[] = [];
  for (const l of limits) {
    if (l.controller === 'cgroup' || host.available.has(l.controller)) continue;
    const field = topField(l.field);
    const key = `${l.controller} ${field}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ controller: l.controller, field, message: `the ${l.controller} controller is not available in cgroup2 (${host.why})` });
  }
  return out;
}
