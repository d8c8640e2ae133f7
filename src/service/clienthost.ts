// The client of a call starts its helpers (libexec/svcproto.h, SVC_MSG_SPAWN): the monitor
// and lxcri-attach are then the client's children, the container's init and an exec'd
// process go to the client's nearest subreaper (conmon) as with runc, and their ends are
// the client's to reap. The service only tells it what to start and hears how it ended.
import { closeSync, constants, openSync } from 'node:fs';
import { constants as os } from 'node:os';
import { SVC } from '../base/svcproto.js';
import { RunInCaller } from '../cli/context.js';
import { childEndOf, type ChildEnd, type HostChild, type ProcessHost, type SpawnSpec } from '../runtime/processhost.js';
import { errnoMessage } from './errno.js';

type Send = (type: string, fields: ReadonlyArray<string>, fds?: ReadonlyArray<number>) => void;

interface Running {
  pid: number;
  /** Settled when the client reports its end (or is gone). */
  ended: Promise<ChildEnd>;
  done: boolean;
  end(e: ChildEnd): void;
}

export class ClientHost implements ProcessHost {
  readonly ownsCaller = false;
  private tags = 0;
  private readonly starting = new Map<string, { res: (r: Running) => void; rej: (err: Error) => void }>();
  private readonly running = new Map<string, Running>();
  private gone = false;
  /** Something was started: the call can no longer move to the client's own process. */
  started = false;

  constructor(
    private readonly send: Send,
    /** The client's stdin, stdout and stderr. */
    readonly stdio: readonly [number, number, number],
    /** The fds the client sent after its stdio: its 3.. */
    private readonly preserved: readonly number[],
  ) {}

  preservedFds(count: number): number[] {
    if (count > this.preserved.length) throw new RunInCaller(`--preserve-fds ${count}, the client sent ${this.preserved.length}`);
    return this.preserved.slice(0, count);
  }

  async spawn(spec: SpawnSpec): Promise<HostChild> {
    if (this.gone) throw new Error('the client is gone');
    const tag = String(++this.tags);
    const devnull: number[] = [];
    const nullFd = (i: number): number => {
      const fd = openSync('/dev/null', i === 0 ? constants.O_RDONLY : constants.O_WRONLY);
      devnull.push(fd);
      return fd;
    };
    try {
      const fds = spec.fds.map((f, i) => (f === 'ignore' ? nullFd(i) : f));
      const env = Object.entries(spec.env).map(([k, v]) => `${k}=${v}`);
      const argv = [spec.file, ...spec.args];
      const flags = spec.setsid ? SVC.spawn.setsid : '';
      const spawned = new Promise<Running>((res, rej) => this.starting.set(tag, { res, rej }));
      this.started = true;
      this.send(SVC.msg.spawn, [tag, flags, spec.cwd ?? '', String(argv.length), ...argv, String(env.length), ...env], fds);
      const r = await spawned;
      return {
        pid: r.pid,
        ended: r.ended,
        kill: (sig) => {
          if (r.done) return;
          if (this.gone) return killOrphan(r.pid, sig);
          this.send(SVC.msg.kill, [tag, String(os.signals[sig])]);
        },
      };
    } finally {
      this.starting.delete(tag);
      for (const fd of devnull) closeSync(fd);
    }
  }

  /** A message of the client about its children; false when it is none of those. */
  receive(type: string, fields: string[]): boolean {
    const [tag, value] = fields;
    if (fields.length !== 2 || tag === undefined || !/^-?\d+$/.test(value ?? '')) return false;
    if (type === SVC.msg.spawned || type === SVC.msg.failed) {
      const s = this.starting.get(tag);
      if (!s) return false;
      this.starting.delete(tag);
      if (type === SVC.msg.failed) {
        s.rej(new Error(errnoMessage(Number(value))));
        return true;
      }
      // Known at once: its end may be the very next message, before spawn() resumes.
      let end!: (e: ChildEnd) => void;
      const ended = new Promise<ChildEnd>((res) => (end = res));
      const r: Running = { pid: Number(value), ended, done: false, end: (e) => ((r.done = true), end(e)) };
      this.running.set(tag, r);
      s.res(r);
      return true;
    }
    if (type === SVC.msg.ended) {
      const r = this.running.get(tag);
      if (!r) return false;
      this.running.delete(tag);
      r.end(childEndOf(Number(value)));
      return true;
    }
    return false;
  }

  /**
   * The client is gone (killed, or its socket failed): the call is abandoned. What it
   * started for the call is killed, as the client kills it when the service goes away;
   * its children are nobody's to reap in the service, so their ends are taken as SIGKILL.
   */
  lost(): void {
    if (this.gone) return;
    this.gone = true;
    for (const s of this.starting.values()) s.rej(new Error('the client is gone'));
    for (const r of this.running.values()) {
      killOrphan(r.pid, 'SIGKILL');
      r.end({ code: null, signal: 'SIGKILL' });
    }
    this.running.clear();
  }
}

function killOrphan(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}
