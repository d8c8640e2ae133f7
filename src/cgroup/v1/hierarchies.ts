// Which controller each cgroup v1 hierarchy holds, from the super options of its mount in
// /proc/self/mountinfo ("rw,cpu,cpuacct" → cpu and cpuacct at the same mount point).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Controller → mount point of its v1 hierarchy. */
export type V1Hierarchies = ReadonlyMap<string, string>;

const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
/** Mount options that are not controllers. */
const NOT_CONTROLLERS = /^(rw|ro|name=.*|noprefix|xattr|clone_children|cpuset_v2_mode|release_agent=.*|favordynmods|nofavordynmods)$/;

export function parseV1Hierarchies(mountinfo: string): V1Hierarchies {
  const out = new Map<string, string>();
  for (const line of mountinfo.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const fields = line.slice(0, sep).split(' ');
    const [fstype, , superOpts] = line.slice(sep + 3).split(' ');
    if (fstype !== 'cgroup' || fields[3] !== '/' || !fields[4] || !superOpts) continue;
    for (const opt of superOpts.split(',')) if (!NOT_CONTROLLERS.test(opt) && !out.has(opt)) out.set(opt, unescape(fields[4]));
  }
  return out;
}

export function v1Hierarchies(): V1Hierarchies {
  return parseV1Hierarchies(readFileSync('/proc/self/mountinfo', 'utf8'));
}

/** Files the kernel gives only to non-root cgroups (absent from a hierarchy's root). */
const NOT_IN_ROOT = new Set(['pids.max', 'rdma.max']);

/** Whether a cgroup in this hierarchy can have `file`: look at `rel` or, without one, at the root. */
export function v1HasFile(h: V1Hierarchies, controller: string, file: string, rel?: string): boolean {
  const mount = h.get(controller);
  if (!mount) return false;
  if (rel !== undefined) return existsSync(join(mount, rel, file));
  return NOT_IN_ROOT.has(file) || existsSync(join(mount, file));
}
