// linux.resources.cpu → cpu.weight, cpu.max, cpu.max.burst, cpu.idle, cpuset.cpus/mems.
//
// shares → cpu.weight: the log-quadratic mapping of runc >= 1.3.2 (opencontainers/cgroups
// ConvertCPUSharesToCgroupV2Value, runc PR #4785) and crun >= 1.23 (crun PR #1767): it
// maps v1's [2, 262144] onto v2's [1, 10000] and v1's default 1024 onto v2's default 100,
// which the older linear formula 1 + (shares-2)*9999/262142 (1024 → 39) did not.
// quota/period → cpu.max "QUOTA PERIOD", "max PERIOD" for quota -1 (runc's
// ConvertCPUQuotaCPUPeriodToCgroupV2Value; default period 100000 µs). realtime* needs
// cgroup v1's cpu.rt_* files and is refused.
import { type CgroupLimit, decimal, intField, limit, LimitError, objectField } from './limits.js';
import { idleAndCpuset } from './specfields.js';

export const DEFAULT_CPU_PERIOD = 100_000;

/** cgroup v1 cpu.shares → cgroup v2 cpu.weight; 0 = unset. */
export function sharesToWeight(shares: number): number {
  if (shares === 0) return 0;
  if (shares <= 2) return 1;
  if (shares >= 262_144) return 10_000;
  const l = Math.log2(shares);
  const exponent = (l * l + 125 * l) / 612 - 7 / 34;
  return Math.min(10_000, Math.max(1, Math.ceil(10 ** exponent)));
}

/** cpu.max from quota and period (µs); undefined when neither is set. */
export function cpuMax(quota: number | undefined, period: number | undefined): string | undefined {
  if ((quota === undefined || quota === 0) && period === undefined) return undefined;
  const p = period ?? DEFAULT_CPU_PERIOD;
  if (p < 1000 || p > 1_000_000) throw new LimitError('cpu.period', `must be between 1000 and 1000000 µs, got ${p}`);
  if (quota === undefined || quota <= 0) {
    if (quota !== undefined && quota < -1) throw new LimitError('cpu.quota', `must be -1 (no limit) or positive, got ${quota}`);
    return `max ${p}`;
  }
  if (quota < 1000) throw new LimitError('cpu.quota', `must be at least 1000 µs, got ${quota}`);
  return `${decimal(quota)} ${p}`;
}

export function cpuLimits(v: unknown): CgroupLimit[] {
  const c = objectField('cpu', v);
  if (!c) return [];
  const out: CgroupLimit[] = [];
  const shares = intField('cpu.shares', c.shares, 0);
  if (shares) out.push(limit('cpu.shares', 'cpu.weight', sharesToWeight(shares)));
  const max = cpuMax(intField('cpu.quota', c.quota), intField('cpu.period', c.period, 0));
  if (max !== undefined) out.push(limit(c.quota !== undefined ? 'cpu.quota' : 'cpu.period', 'cpu.max', max));
  const burst = intField('cpu.burst', c.burst, 0);
  if (burst !== undefined) out.push(limit('cpu.burst', 'cpu.max.burst', decimal(burst)));
  out.push(...idleAndCpuset(c));
  for (const k of ['realtimeRuntime', 'realtimePeriod'] as const) {
    const n = intField(`cpu.${k}`, c[k]);
    if (n !== undefined && n !== 0) throw new LimitError(`cpu.${k}`, 'real-time CPU limits exist only in cgroup v1');
  }
  return out;
}
