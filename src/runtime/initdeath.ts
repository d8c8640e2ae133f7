// The container's init dying before it reports to create. liblxc's monitor waits for its
// child on a sync socket whose other end it still holds itself: a child that dies before
// it gets there (an RLIMIT_AS too small to run, a crash) stays a zombie and the monitor
// waits forever. Create watches the monitor's children instead and learns of the death
// once a child stays a zombie for a second: the monitor reaps the children it waits for
// (its helpers', a failed init's it was told about) within moments, even under load.
import { readdirSync, readFileSync } from 'node:fs';
import { describeWaitStatus } from './signals.js';

export interface InitDeath {
  pid: number;
  /** What the wait status says: "killed by signal 9 (SIGKILL)" or "exit status 1". */
  how: string;
}

export interface InitDeathWatch {
  /** Resolves when a child of the monitor has stayed a zombie for `stayMs`. */
  readonly died: Promise<InitDeath>;
  stop(): void;
}

/** Children of pid (every thread's), from /proc/<pid>/task/<tid>/children. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1').trim().split(/\s+/)) if (c) out.push(Number(c));
    } catch {
      /* the thread is gone */
    }
  }
  return out;
}

/** The wait status of a zombie, or undefined if pid is not one (or gone). */
export function zombieStatus(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // Fields after the command (which may hold spaces and parens): state is the first,
  // exit_code (field 52 of proc(5)) the last.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).trim().split(' ');
  if (rest[0] !== 'Z') return undefined;
  const code = Number(rest[rest.length - 1]);
  return Number.isInteger(code) ? code : 0;
}

export function watchInitDeath(monitorPid: number, stayMs = 1000, intervalMs = 50): InitDeathWatch {
  let timer: NodeJS.Timeout | undefined;
  /** Zombie children and when each was first seen as one. */
  let since = new Map<number, number>();
  const died = new Promise<InitDeath>((resolve) => {
    timer = setInterval(() => {
      const now = Date.now();
      const zombies = new Map<number, number>();
      for (const c of childrenOf(monitorPid)) {
        const status = zombieStatus(c);
        if (status === undefined) continue;
        const first = since.get(c) ?? now;
        if (now - first >= stayMs) {
          clearInterval(timer);
          resolve({ pid: c, how: describeWaitStatus(status) });
          return;
        }
        zombies.set(c, first);
      }
      since = zombies;
    }, intervalMs);
    timer.unref();
  });
  return { died, stop: () => clearInterval(timer) };
}
