// Where the cgroup hierarchies are mounted, read from /proc/self/mountinfo. On a pure v2
// host cgroup2 sits at /sys/fs/cgroup; on hybrid hosts (like our CI) at
// /sys/fs/cgroup/unified, next to the v1 controller hierarchies that liblxc also uses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CgroupMounts {
  /** Mount point of the cgroup2 hierarchy, if any. */
  unified?: string;
  /** Mount points of the v1 hierarchies (hybrid hosts). */
  v1: string[];
}

/** Undo the octal escapes (\040 etc.) of mountinfo fields. */
const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

interface CgroupMountLine {
  fstype: 'cgroup' | 'cgroup2';
  mountPoint: string;
  /** The super options: for cgroup v1 the hierarchy's controllers (rw,cpu,cpuacct). */
  superOptions: string[];
}

function cgroupMountLines(text: string): CgroupMountLine[] {
  const out: CgroupMountLine[] = [];
  for (const line of text.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const fields = line.slice(0, sep).split(' ');
    const [fstype, , superOptions] = line.slice(sep + 3).split(' ');
    const root = fields[3];
    const mountPoint = fields[4];
    if (mountPoint === undefined || root !== '/') continue; // bind mounts of sub-cgroups are not hierarchy roots
    if (fstype !== 'cgroup' && fstype !== 'cgroup2') continue;
    out.push({ fstype, mountPoint: unescape(mountPoint), superOptions: (superOptions ?? '').split(',') });
  }
  return out;
}

export function parseMountinfo(text: string): CgroupMounts {
  const out: CgroupMounts = { v1: [] };
  for (const m of cgroupMountLines(text)) {
    if (m.fstype === 'cgroup2') out.unified ??= m.mountPoint;
    else out.v1.push(m.mountPoint);
  }
  return out;
}

export function cgroupMounts(): CgroupMounts {
  return parseMountinfo(readFileSync('/proc/self/mountinfo', 'utf8'));
}

/** Mount point of the v1 hierarchy of each controller (hybrid hosts), by controller name. */
export function parseV1Controllers(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of cgroupMountLines(text)) {
    if (m.fstype !== 'cgroup') continue;
    for (const c of m.superOptions) if (c !== 'rw' && c !== 'ro' && !c.includes('=') && !out.has(c)) out.set(c, m.mountPoint);
  }
  return out;
}

export function v1Controllers(): Map<string, string> {
  return parseV1Controllers(readFileSync('/proc/self/mountinfo', 'utf8'));
}

/** The directory of cgroup `rel` in every hierarchy (cgroup2 first). */
export function hierarchyDirs(mounts: CgroupMounts, rel: string): string[] {
  return [mounts.unified, ...mounts.v1].filter((m): m is string => !!m).map((m) => join(m, rel));
}

/** The directory of cgroup `rel` in the cgroup2 hierarchy (freezer, cgroup.kill, stats); undefined without one. */
export const unifiedDir = (mounts: CgroupMounts, rel: string): string | undefined => (mounts.unified ? join(mounts.unified, rel) : undefined);
