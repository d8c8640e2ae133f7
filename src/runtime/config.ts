// Settings of a Runtime. The CLI fills them from flags, environment and the environment
// file; library users pass what they need and get the same defaults.
import { DEFAULT_MONITOR_CGROUP } from '../cgroup/paths.js';
import { defaultLibexecDir } from '../base/location.js';
import { checkTimeoutMs } from '../base/timeout.js';
import type { Features } from '../lxc/features.js';

export type { Features };

/** Milliseconds. */
export interface Timeouts {
  /** create: until the init reports ready. */
  create: number;
  /** start: until the process has replaced the init. */
  start: number;
  /** pause and resume (the freezer). */
  kill: number;
  /** delete: until the container's processes are gone and its cgroups removed. */
  delete: number;
}


export interface RuntimeConfig {
  /** Runtime state directory, one sub-directory per container (liblxc's lxcpath). */
  root: string;
  /** Directory of lxcri-start, lxcri-init and lxcri-hook. */
  libexecDir: string;
  /** Parent cgroup of the monitors: each one runs in <monitorCgroup>/<id>.scope. */
  monitorCgroup: string;
  /** linux.cgroupsPath is systemd's slice:prefix:name (CRI-O's --systemd-cgroup). */
  systemdCgroup: boolean;
  /** liblxc's log file for the monitor; none = liblxc does not log. */
  lxcLogFile?: string;
  /** liblxc log level: trace, debug, info, notice, warn, error, crit, alert, fatal. */
  lxcLogLevel: string;
  timeouts: Timeouts;
  features: Features;
  /** Log a warning instead of failing create for limits whose controller is missing. */
  ignoreUnavailableControllers: boolean;
}

export const DEFAULT_ROOT = '/run/lxcri';
export const DEFAULT_TIMEOUTS: Timeouts = { create: 60_000, start: 30_000, kill: 10_000, delete: 10_000 };
export const DEFAULT_LXC_LOG_LEVEL = 'warn';
/** Every feature switch is on unless an operator turns it off. */
export const DEFAULT_FEATURES: Features = { apparmor: true, capabilities: true, cgroupDevices: true, seccomp: true };
export { DEFAULT_MONITOR_CGROUP };

/** What `new Runtime()` takes: any setting of RuntimeConfig; the others get their defaults. */
export type RuntimeOptions = Partial<Omit<RuntimeConfig, 'timeouts' | 'features'>> & {
  timeouts?: Partial<Timeouts>;
  features?: Partial<Features>;
};

function checkTimeouts(t: Timeouts): Timeouts {
  for (const [name, ms] of Object.entries(t) as [string, number][]) checkTimeoutMs(ms, `timeouts.${name}`);
  return t;
}

export function runtimeConfig(p: RuntimeOptions = {}): RuntimeConfig {
  return {
    root: p.root ?? DEFAULT_ROOT,
    libexecDir: p.libexecDir ?? defaultLibexecDir(),
    monitorCgroup: p.monitorCgroup ?? DEFAULT_MONITOR_CGROUP,
    systemdCgroup: p.systemdCgroup ?? false,
    lxcLogFile: p.lxcLogFile,
    lxcLogLevel: p.lxcLogLevel ?? DEFAULT_LXC_LOG_LEVEL,
    timeouts: checkTimeouts({ ...DEFAULT_TIMEOUTS, ...p.timeouts }),
    features: { ...DEFAULT_FEATURES, ...p.features },
    ignoreUnavailableControllers: p.ignoreUnavailableControllers ?? false,
  };
}
