// linux.resources.cpu → the cgroup v1 cpu and cpuset controllers' files, values as given
// (the spec's units are v1's). The period goes before the quota and the real-time period
// before the runtime, as runc writes them: the kernel checks each against the other.
import { type CgroupLimit, decimal, intField, limit, LimitError, objectField } from '../limits.js';
import { idleAndCpuset } from '../specfields.js';

export function cpuV1Limits(v: unknown): CgroupLimit[] {
  const c = objectField('cpu', v);
  if (!c) return [];
  const out: CgroupLimit[] = [];
  const shares = intField('cpu.shares', c.shares, 0);
  if (shares) {
    if (shares < 2 || shares > 262_144) throw new LimitError('cpu.shares', `must be between 2 and 262144, got ${shares}`);
    out.push(limit('cpu.shares', 'cpu.shares', shares));
  }
  const period = intField('cpu.period', c.period, 0);
  if (period) {
    if (period < 1000 || period > 1_000_000) throw new LimitError('cpu.period', `must be between 1000 and 1000000 µs, got ${period}`);
    out.push(limit('cpu.period', 'cpu.cfs_period_us', period));
  }
  const quota = intField('cpu.quota', c.quota, -1);
  if (quota !== undefined && quota !== 0) {
    if (quota > 0 && quota < 1000) throw new LimitError('cpu.quota', `must be at least 1000 µs, got ${quota}`);
    out.push(limit('cpu.quota', 'cpu.cfs_quota_us', decimal(quota)));
  }
  const burst = intField('cpu.burst', c.burst, 0);
  if (burst !== undefined) out.push(limit('cpu.burst', 'cpu.cfs_burst_us', decimal(burst)));
  const rtPeriod = intField('cpu.realtimePeriod', c.realtimePeriod, 0);
  if (rtPeriod) out.push(limit('cpu.realtimePeriod', 'cpu.rt_period_us', decimal(rtPeriod)));
  const rtRuntime = intField('cpu.realtimeRuntime', c.realtimeRuntime, -1);
  if (rtRuntime !== undefined && rtRuntime !== 0) out.push(limit('cpu.realtimeRuntime', 'cpu.rt_runtime_us', decimal(rtRuntime)));
  out.push(...idleAndCpuset(c));
  return out;
}
