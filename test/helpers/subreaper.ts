// The test process as conmon is to a runtime: a child subreaper that gets a container's
// init once `lxcri create` has exited, and reaps it itself with its exact wait status.
import { readFileSync } from 'node:fs';
import { lxc } from '../../src/runtime/native.js';
import { waitFor } from './lxcri.js';

/** Makes this test process (one per test file) a child subreaper. */
export function becomeSubreaper(): void {
  lxc().childSubreaper(true);
}

/** The parent PID of `pid` (from /proc/PID/stat). */
export function parentPid(pid: number): number {
  const st = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Waits for our child `pid` to end and reaps it: its raw wait status. */
export async function reapChild(pid: number, timeoutMs = 10_000): Promise<number> {
  let status: number | null = null;
  await waitFor(() => (status = lxc().reap(pid)) !== null, timeoutMs, `process ${pid} to end`);
  return status!;
}

/** The cgroup of `pid` in every hierarchy, as "hierarchy-id:controllers" -> path. */
export function cgroupsOf(pid: number): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n')) {
    const at = line.indexOf(':', line.indexOf(':') + 1);
    m.set(line.slice(0, at), line.slice(at + 1));
  }
  return m;
}

/** The last NSpid of `pid`: its PID in its own PID namespace. */
export function innerPid(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('NSpid:'))!;
  return Number(line.trim().split(/\s+/).pop());
}
