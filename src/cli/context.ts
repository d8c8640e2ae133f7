// What a command handler gets: its parsed arguments, the environment and stdio as file
// descriptors. Handlers return an exit code and never call process.exit, so a resident
// process could serve them as well as a per-call CLI.
import { writeSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Logger } from '../log/types.js';
import type { ProcessHost } from '../runtime/processhost.js';
import type { Runtime } from '../runtime/runtime.js';
import type { CreateHook } from './createhook.js';
import type { Settings } from './settings.js';

export interface Stdio {
  stdin: number;
  stdout: number;
  stderr: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface Context {
  env: Env;
  stdio: Stdio;
  log: Logger;
  /** The runtime for the global options (root, libexec dir, ...), loaded on first use. */
  runtime: () => Promise<Runtime>;
  /** The operator's create hook, if one is set. */
  createHook?: CreateHook;
  /** Every setting of the call (settings.ts). */
  settings: Settings;
  /** Where the call runs: the caller's directory and who starts helpers for it. */
  site: CallSite;
}

/**
 * Where a call runs. In-process: this process's directory and this process. Served by the
 * lxcri service: the client's directory (never the service's own: process.cwd() is shared
 * by every call), and the client starts the helpers (src/service/clienthost.ts).
 */
export interface CallSite {
  /** Absolute: relative paths of the call (bundle, pid file, --root ...) are resolved against it. */
  cwd: string;
  host: ProcessHost;
  /** The only root this site serves (the service's): a call for another runs in its caller. */
  root?: string;
  /** Runs the calls that change one container one at a time (the service serves many at once). */
  serialize?: <T>(key: string, fn: () => Promise<T>) => Promise<T>;
}

/** A path of the call, absolute. */
export function callPath(site: CallSite, path: string): string {
  return isAbsolute(path) ? resolve(path) : resolve(site.cwd, path);
}

/**
 * Thrown when a call needs the caller's own process (its terminal and signals: run, a
 * relayed exec -t; adopting the init): the service answers it with "run in-process".
 */
export class RunInCaller extends Error {
  constructor(why: string) {
    super(`this call runs in the caller's process: ${why}`);
  }
}

export function writeOut(stdio: Stdio, text: string): void {
  writeAll(stdio.stdout, text);
}

export function writeErr(stdio: Stdio, text: string): void {
  writeAll(stdio.stderr, text);
}

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text);
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      return; // a closed stdout/stderr must not turn success into a crash
    }
  }
}
