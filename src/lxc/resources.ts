// linux.resources (all but devices) → lxc.cgroup2.<file> = <value>: liblxc writes them into
// the container's cgroup after creating it and before the init runs, failing the start
// when a write fails. A limit whose controller the host cannot give fails create before
// anything is made, unless the operator chose to run without it (then it is a warning).
import { cgroupMounts } from '../cgroup/mounts.js';
import { hostControllers, unavailableLimits, type ControllerHost } from '../cgroup/controllers.js';
import { LimitError } from '../cgroup/limits.js';
import { resourceLimits } from '../cgroup/resources.js';
import { RuntimeError } from '../runtime/errors.js';
import type { LxcConfig } from './config.js';

const PREFIX = 'invalid config.json: linux.resources';

export interface ResourceOptions {
  /** The host's controllers; probed when a limit is set and none are given. */
  controllers?: ControllerHost;
  /** Leave out limits of unavailable controllers with a warning instead of failing. */
  ignoreUnavailable?: boolean;
}

/** Adds the limits to cfg; returns warnings for limits left out. */
export function applyResources(cfg: LxcConfig, resources: unknown, opts: ResourceOptions = {}): string[] {
  let limits;
  try {
    ({ limits } = resourceLimits(resources ?? {}));
  } catch (err) {
    if (err instanceof LimitError) throw new RuntimeError('invalid-spec', `${PREFIX}.${err.field}: ${err.reason}`);
    throw err;
  }
  if (limits.length === 0) return [];
  const host = opts.controllers ?? hostControllers(cgroupMounts());
  const missing = unavailableLimits(limits, host);
  const warnings: string[] = [];
  if (missing.length) {
    if (!opts.ignoreUnavailable) {
      const m = missing[0]!;
      throw new RuntimeError('invalid-spec', `${PREFIX}.${m.field}: ${m.message}`);
    }
    for (const m of missing) warnings.push(`linux.resources.${m.field} is not applied: ${m.message}`);
  }
  const skip = new Set(missing.map((m) => m.controller));
  for (const l of limits) if (!skip.has(l.controller)) cfg.set(`lxc.cgroup2.${l.file}`, l.value);
  return warnings;
}
