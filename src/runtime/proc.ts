// Process identity from /proc: a PID plus its start time names one process for good,
// so a recycled PID is never mistaken for a container's init or monitor.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';

export interface ProcRef {
  pid: number;
  /** Field 22 of /proc/PID/stat: start time in clock ticks after boot. */
  start: number;
}

interface ProcStat {
  state: string;
  ppid: number;
  start: number;
}

function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // comm may contain spaces and parentheses: the fields that follow start after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = rest[0];
  const ppid = Number(rest[1]);
  const start = Number(rest[19]);
  if (state === undefined || !Number.isFinite(start)) return undefined;
  return { state, ppid, start };
}

/** A reference to the live process `pid`, or undefined if it does not exist. */
export function procRef(pid: number): ProcRef | undefined {
  const st = procStat(pid);
  return st ? { pid, start: st.start } : undefined;
}

/** The parent PID of the referenced process (a zombie too); undefined once it is gone. */
export function parentOf(ref: ProcRef): number | undefined {
  const st = procStat(ref.pid);
  return st !== undefined && st.start === ref.start ? st.ppid : undefined;
}

/** True while the referenced process exists and has not exited (zombies count as gone). */
export function isAlive(ref: ProcRef): boolean {
  const st = procStat(ref.pid);
  return st !== undefined && st.start === ref.start && st.state !== 'Z' && st.state !== 'X';
}

export interface FileId {
  dev: number;
  ino: number;
}

export function fileId(path: string): FileId {
  const st = statSync(path);
  return { dev: st.dev, ino: st.ino };
}

/** True when the process currently runs the executable `exe` (compared by inode). */
export function runsExecutable(pid: number, exe: FileId): boolean {
  try {
    const st = statSync(`/proc/${pid}/exe`);
    return st.dev === exe.dev && st.ino === exe.ino;
  } catch {
    return false;
  }
}

/**
 * Processes whose argv starts with an executable named `exe` followed by `args`: finds a
 * monitor that a killed create spawned but could not record.
 */
export function findProcesses(exe: string, args: string[]): ProcRef[] {
  const found: ProcRef[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (basename(argv[0] ?? '') !== exe || args.some((a, i) => argv[i + 1] !== a)) continue;
    const ref = procRef(Number(e));
    if (ref) found.push(ref);
  }
  return found;
}
