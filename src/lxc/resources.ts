// linux.resources (all but devices) → lxc.cgroup2.<file> (cgroup v2) or lxc.cgroup.<file>
// (hosts with v1 controllers) = <value>: liblxc writes them into the container's cgroups
// after creating them and before the init runs, failing the start when a write fails. A
// limit whose controller or file the host cannot give fails create before anything is
// made, unless the operator chose to run without it (then it is a warning).
import { hasLimits, limitsFor, lxcCgroupKey } from '../cgroup/backend.js';
import { cgroupMounts } from '../cgroup/mounts.js';
import { hostLimitControllers, limitUsable, unavailableLimits, type ControllerHost } from '../cgroup/controllers.js';
import { LimitError } from '../cgroup/limits.js';
import { resolveV1Files } from '../cgroup/v1/files.js';
import { invalidSpec } from '../base/errors.js';
import type { LxcConfig } from './config.js';


export interface ResourceOptions {
  /** The host's controllers; probed when a limit is set and none are given. */
  controllers?: ControllerHost;
  /** Leave out limits of unavailable controllers with a warning instead of failing. */
  ignoreUnavailable?: boolean;
}

/** Adds the limits to cfg; returns warnings for limits left out. */
export function applyResources(cfg: LxcConfig, resources: unknown, opts: ResourceOptions = {}): string[] {
  if (!hasLimits(resources)) return [];
  const host = opts.controllers ?? hostLimitControllers(cgroupMounts());
  let conv;
  try {
    conv = limitsFor(host.version, resources);
  } catch (err) {
    if (err instanceof LimitError) throw invalidSpec(`linux.resources.${err.field}: ${err.reason}`);
    throw err;
  }
  const warnings = [...(conv.warnings ?? [])];
  if (conv.limits.length === 0) return warnings;
  const limits = host.hasFile ? resolveV1Files(conv.limits, host.hasFile) : conv.limits;
  const missing = unavailableLimits(limits, host);
  if (missing.length) {
    if (!opts.ignoreUnavailable) {
      const m = missing[0]!;
      throw invalidSpec(`linux.resources.${m.field}: ${m.message}`);
    }
    for (const m of missing) warnings.push(`linux.resources.${m.field} is not applied: ${m.message}`);
  }
  for (const l of limits) if (limitUsable(l, host)) cfg.set(lxcCgroupKey(host.version, l.file), l.value);
  return warnings;
}
