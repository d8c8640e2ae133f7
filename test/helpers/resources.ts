// Bundles with resource limits, shared by the cgroup2 (VM) and hybrid-host tests.
import type { Spec } from '../../src/spec/types.js';

/** Set linux.resources fields (device rules stay as the sample has them). */
export const withResources = (r: Record<string, unknown>) => (s: Spec): void => {
  s.linux!.resources = { ...s.linux!.resources, ...r };
};

export const MIB = 1 << 20;

/** A shell that buffers 64 MiB as PID 1: exceeds a 16 MiB limit. */
export const HOG = ['sh', '-c', 'a=$(head -c 67108864 /dev/zero | tr "\\0" a); echo survived ${#a}'];
/** Forks 30 background sleeps; with pids.max 10 a fork fails (busybox sh then gives up). */
export const FORKS = ['sh', '-c', 'for i in $(seq 30); do sleep 3 & echo started $i; done; echo forks-done'];

export const OOM_LIMITS = { memory: { limit: 16 * MIB, swap: 16 * MIB } };
export const PIDS_LIMITS = { pids: { limit: 10 } };
export const CPU_LIMITS = { cpu: { shares: 1024, quota: 50000, period: 100000, burst: 1000 } };
