// exec's join through libexec/lxcri-attach, which re-executes itself from a sealed memfd
// and then joins the container's init by itself (no liblxc, no monitor; see execjoin.ts):
// joined from Node, the process would show the host's node binary behind /proc/<pid>/exe
// (CVE-2019-5736 class).
import { closeSync } from 'node:fs';
import { Socket } from 'node:net';
import { lxc } from '../base/native.js';
import type { ChildEnd, ProcessHost } from './processhost.js';

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
  /** Our fds that stay the process's 3..3+N-1 (--preserve-fds). */
  kept: number[];
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

function command(job: AttachJob, detach: boolean, statusFd: number): { args: string[]; fds: number[] } {
  const at = childFds(job.kept.length, job.seccompFd !== undefined);
  const fds = [job.stdin, job.stdout, job.stderr, ...job.kept, job.initFd, job.recordFd];
  if (job.seccompFd !== undefined) fds.push(job.seccompFd);
  fds.push(statusFd);
  // lxcri-init starts as the container's root and becomes the process user itself, with
  // the process's bounding set (as runc's exec).
  const args = [String(at.init), String(at.status), ...job.join];
  if (job.noNewPrivileges) args.push('--no-new-privs');
  if (detach) args.push('--detach');
  args.push('--', ...job.argv);
  return { args, fds };
}

/** lxcri-attach's one status line, or what went wrong without one. */
function report(text: string, end: ChildEnd, want: 'pid' | 'status'): number {
  const line = /^(pid|status|error) (.*)\n$/.exec(text);
  if (line?.[1] === 'error') throw new Error(line[2]);
  if (line?.[1] === want && /^\d+$/.test(line[2]!)) return Number(line[2]);
  if (end.code === 0 && !text) throw new Error('lxcri-attach exited without a report');
  throw new Error(`lxcri-attach ${end.signal ? `died of ${end.signal}` : `exited with ${end.code}`}${text ? `: ${JSON.stringify(text.slice(0, 200))}` : ''}`);
}

/** Starts lxcri-attach through `host` and resolves with its status line once it has ended. */
async function attach(job: AttachJob, host: ProcessHost, detach: boolean): Promise<{ text: string; end: ChildEnd }> {
  const [r, w] = lxc().pipe();
  let reader: Socket | undefined;
  try {
    const { args, fds } = command(job, detach, w);
    // Empty environment: the record holds the process's. A detached process is left to
    // the host's caller (see ProcessHost.adoptOrphans).
    const child = host.spawn({ file: job.helper, args, env: {}, fds, adoptOrphans: detach });
    let spawned;
    try {
      spawned = await child;
    } finally {
      closeSync(w);
    }
    // The pipe's only writer now is lxcri-attach: its end is the pipe's.
    const sock = (reader = new Socket({ fd: r, readable: true, writable: false }));
    const text = await new Promise<string>((res) => {
      let t = '';
      sock.on('data', (d: Buffer) => {
        if (t.length < 8192) t += d.toString('utf8');
      });
      sock.once('close', () => res(t));
      sock.once('error', () => res(t));
    });
    return { text, end: await spawned.ended };
  } finally {
    if (reader) reader.destroy();
    else closeSync(r);
  }
}

/** Runs the process and resolves with its raw wait status once it has ended. */
export async function attachWait(job: AttachJob, host: ProcessHost): Promise<number> {
  const { text, end } = await attach(job, host, false);
  return report(text, end, 'status');
}

/**
 * Starts the process and returns its host PID. lxcri-attach exits once it exec'd; the
 * process goes to the host's caller (the library adopts it to reap it, a client of the
 * service leaves it to its own nearest subreaper), as runc leaves it to its caller's.
 */
export async function attachDetached(job: AttachJob, host: ProcessHost): Promise<number> {
  const { text, end } = await attach(job, host, true);
  return report(text, end, 'pid');
}
