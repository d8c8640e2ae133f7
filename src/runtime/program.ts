// Running a host program to its end: the OCI hooks lxcri runs itself (hooks.ts) and the
// operator's create hook (cli/createhook.ts). The program leads a process group of its
// own, which is killed as a whole at the timeout; its end is said in the words the C
// helpers' hook runner (libexec/ocihook.h) uses.
import { spawn, type StdioOptions } from 'node:child_process';
import { errorMessage } from './errors.js';

export interface Program {
  path: string;
  /** argv[0] (default: path) and the arguments after it. */
  argv0?: string;
  args?: string[];
  /** Exactly this environment. */
  env: Record<string, string>;
  cwd?: string;
  /** Written to its stdin, then closed; without it stdin is /dev/null. */
  stdin?: string;
  /** Bytes of stdout and stderr (together) kept; 0: both are /dev/null. */
  outputLimit?: number;
  timeoutMs?: number;
}

export interface ProgramEnd {
  /** Why it failed ("exited with status 1", "killed by SIGTERM", "timed out after 2s", "exec: ..."); absent on exit 0. */
  failure?: string;
  /** What it wrote to stdout and stderr, up to outputLimit bytes. */
  output: string;
}

export function runProgram(p: Program): Promise<ProgramEnd> {
  const limit = p.outputLimit ?? 0;
  const stdio: StdioOptions = [p.stdin !== undefined ? 'pipe' : 'ignore', limit > 0 ? 'pipe' : 'ignore', limit > 0 ? 'pipe' : 'ignore'];
  return new Promise((resolve) => {
    const child = spawn(p.path, p.args ?? [], { argv0: p.argv0 ?? p.path, env: p.env, cwd: p.cwd, stdio, detached: true });
    // Bytes, decoded once at the end: a chunk may end inside a character.
    const chunks: Buffer[] = [];
    let kept = 0;
    const collect = (d: Buffer): void => {
      if (kept >= limit) return;
      chunks.push(d);
      kept += d.length;
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    if (child.stdin) {
      // A program that does not read its stdin may exit before we are done writing.
      child.stdin.on('error', () => undefined);
      child.stdin.end(p.stdin);
    }
    let timedOut = false;
    const timer =
      p.timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            try {
              process.kill(-child.pid!, 'SIGKILL'); // the program and whatever it started
            } catch {
              child.kill('SIGKILL');
            }
          }, p.timeoutMs)
        : undefined;
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ failure: `exec: ${errorMessage(err)}`, output: '' });
    });
    // 'exit', not 'close': a daemon the program left behind may hold its pipes open.
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      child.stdout?.destroy();
      child.stderr?.destroy();
      const output = Buffer.concat(chunks).subarray(0, limit).toString('utf8');
      if (timedOut) resolve({ failure: `timed out after ${p.timeoutMs! / 1000}s`, output });
      else if (code === 0) resolve({ output });
      else resolve({ failure: signal ? `killed by ${signal}` : `exited with status ${code}`, output });
    });
  });
}
