// What a command handler gets: its parsed arguments, the environment and stdio as file
// descriptors. Handlers return an exit code and never call process.exit, so a resident
// process could serve them as well as a per-call CLI.
import { writeSync } from 'node:fs';
import type { Logger } from '../log/types.js';
import type { Runtime } from '../runtime/runtime.js';
import type { CreateHook } from './createhook.js';

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
