// exec's join through libexec/lxcri-attach, which re-executes itself from a sealed memfd
// and then joins the container's init by itself (no liblxc, no monitor; see execjoin.ts):
// joined from Node, the process would show the host's node binary behind /proc/<pid>/exe
// (CVE-2019-5736 class).
import { spawn, spawnSync, type StdioOptions } from 'node:child_process';
import { lxc } from '../base/native.js';

/** One attach: our fds and what lxcri-attach passes on. */
export interface AttachJob {
  /** Path of lxcri-attach. */
  helper: string;
  /** What to join (execjoin.ts joinArgs). */
  join: string[];
  /** Our fds that become the process's stdin, stdout, stderr. */
  stdin: number;
  stdout: number;
  stderr: number;
  /** Our fds 3..3+N-1 stay the process's 3..3+N-1. */
  keepFds: number;
  /** Our fds of the sealed lxcri-init, of the sealed process record and, if any, of the seccomp profile. */
  initFd: number;
  recordFd: number;
  seccompFd?: number;
  /** lxcri-init's argv (fd numbers as childFds places them in the process); its environment is empty (the record holds the process's). */
  argv: string[];
  noNewPrivileges: boolean;
}

/** Where the job's fds are in lxcri-attach and the process: right after the preserved ones. */
export function childFds(keepFds: number, seccomp: boolean): { init: number; record: number; seccomp?: number; status: number } {
  const init = 3 + keepFds;
  const record = init + 1;
  return seccomp ? { init, record, seccomp: record + 1, status: record + 2 } : { init, record, status: record + 1 };
}

function command(job: AttachJob, detach: boolean): { args: string[]; stdio: StdioOptions; status: number } {
  const fds = childFds(job.keepFds, job.seccompFd !== undefined);
  const stdio: (number | 'pipe')[] = [job.stdin, job.stdout, job.stderr];
  for (let fd = 3; fd < 3 + job.keepFds; fd++) stdio.push(fd);
  stdio.push(job.initFd, job.recordFd);
  if (job.seccompFd !== undefined) stdio.push(job.seccompFd);
  stdio.push('pipe');
  // lxcri-init starts as the container's root and becomes the process user itself, with
  // the process's bounding set (as runc's exec).
  const args = [String(fds.init), String(fds.status), ...job.join];
  if (job.noNewPrivileges) args.push('--no-new-privs');
  if (detach) args.push('--detach');
  args.push('--', ...job.argv);
  return { args, stdio, status: fds.status };
}

/** lxcri-attach's one status line, or what went wrong without one. */
function report(text: string, code: number | null, signal: string | null, want: 'pid' | 'status'): number {
  const line = /^(pid|status|error) (.*)\n$/.exec(text);
  if (line?.[1] === 'error') throw new Error(line[2]);
  if (line?.[1] === want && /^\d+$/.test(line[2]!)) return Number(line[2]);
  if (code === 0 && !text) throw new Error('lxcri-attach exited without a report');
  throw new Error(`lxcri-attach ${signal ? `died of ${signal}` : `exited with ${code}`}${text ? `: ${JSON.stringify(text.slice(0, 200))}` : ''}`);
}

/** Runs the process and resolves with its raw wait status once it has ended. */
export async function attachWait(job: AttachJob): Promise<number> {
  const { args, stdio, status } = command(job, false);
  const child = spawn(job.helper, args, { stdio, env: {} });
  let text = '';
  child.stdio[status]!.on('data', (d: Buffer) => {
    if (text.length < 8192) text += d.toString('utf8');
  });
  const [code, signal] = await new Promise<[number | null, string | null]>((res, rej) => {
    child.once('error', rej);
    child.once('close', (c, s) => res([c, s]));
  });
  return report(text, code, signal, 'status');
}

/**
 * Starts the process and returns its host PID. lxcri-attach exits once it exec'd;
 * as a child subreaper for that moment we get the process as our child (to reap, or to
 * leave to our own parent's subreaper by exiting), as runc leaves it to its caller's.
 */
export function attachDetached(job: AttachJob): number {
  const { args, stdio, status } = command(job, true);
  const was = lxc().childSubreaper(true);
  let r: ReturnType<typeof spawnSync>;
  try {
    r = spawnSync(job.helper, args, { stdio, env: {}, encoding: 'utf8' });
  } finally {
    if (!was) lxc().childSubreaper(false);
  }
  if (r.error) throw r.error;
  return report(String(r.output[status] ?? ''), r.status, r.signal, 'pid');
}
