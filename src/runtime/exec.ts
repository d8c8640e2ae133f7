// exec: run another process in a created or running container, through liblxc's attach
// and lxcri-init's exec mode, so that it gets the same identity handling as the
// container's own process (groups, umask, the five capability sets, PATH lookup, HOME,
// the 126/127 messages).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log/types.js';
import type { AttachOptions } from '../native.js';
import { capabilitySets } from '../lxc/capabilities.js';
import { dedupeEnv, identityLine } from '../lxc/process.js';
import { rlimitArgs } from '../lxc/rlimits.js';
import type { Process, Spec } from '../spec/types.js';
import type { Container } from './container.js';
import { errnoCode, errorMessage, notRunning, RuntimeError } from './errors.js';
import { INIT_BINARY, INIT_DIR, initDirOf, SECCOMP_LISTENER } from './layout.js';
import { lxc } from './native.js';
import { containerStatus } from './status.js';

export interface ExecStdio {
  stdin: number;
  stdout: number;
  stderr: number;
}

export interface ExecFds {
  /** 'pty': stdin is a pty slave of ours that must become the controlling terminal;
   * 'maybe': the caller's stdio, which may be a terminal (CRI-O's streaming exec). */
  tty?: 'pty' | 'maybe';
  /** --preserve-fds: fds 3 to 3+N-1 stay open in the process. */
  keepFds?: number;
}

/** What liblxc's attach puts into the environment besides what it is given. */
const ATTACH_ADDS = ['container', 'PATH'];

/** The container's own process spec, as create stored it. */
export async function containerProcess(c: Container): Promise<Process> {
  let text: string;
  try {
    text = await readFile(join(c.runtimeDir, 'config.json'), 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') throw notRunning(c.id);
    throw new RuntimeError('system', `container "${c.id}": cannot read its config.json: ${errorMessage(err)}`);
  }
  const spec = JSON.parse(text) as Spec;
  if (!spec.process) throw new RuntimeError('system', `container "${c.id}": its config.json has no process`);
  return spec.process;
}

/** The attach arguments for `p`: lxcri-init in exec mode and the environment.
 * `seccomp`: the process gets the container's seccomp filter (init/seccomp). */
export function execArgv(p: Process, warn: (msg: string) => void, fds: ExecFds = {}, seccomp = false): { argv: string[]; env: string[] } {
  if (!p.args?.length) throw new RuntimeError('invalid-argument', 'process.args must not be empty');
  const env = dedupeEnv(p.env ?? []);
  const have = new Set(env.map((e) => e.slice(0, e.indexOf('='))));
  const caps = capabilitySets(p.capabilities, warn);
  const argv = [`${INIT_DIR}/${INIT_BINARY}`, '--exec', identityLine(p, caps).trimEnd(), p.cwd || '/'];
  if (fds.tty === 'pty') argv.push('--tty');
  if (fds.tty === 'maybe') argv.push('--tty-maybe');
  if (seccomp) argv.push('--seccomp');
  if (fds.keepFds) argv.push('--keep-fds', String(fds.keepFds));
  argv.push(...rlimitArgs(p.rlimits ?? []));
  for (const name of ATTACH_ADDS) if (!have.has(name)) argv.push('--unset', name);
  argv.push('--', ...p.args);
  return { argv, env };
}

function checkRunning(c: Container): void {
  const status = containerStatus(c.record);
  if (status === 'paused') throw new RuntimeError('invalid-state', `container "${c.id}" is paused`);
  if (status !== 'created' && status !== 'running') throw notRunning(c.id);
}

function attachOptions(c: Container, p: Process, stdio: ExecStdio, fds: ExecFds, log: Logger): AttachOptions {
  for (let fd = 3; fd < 3 + (fds.keepFds ?? 0); fd++) {
    try {
      lxc().setInheritable(fd, true);
    } catch (err) {
      throw new RuntimeError('invalid-argument', `--preserve-fds ${fds.keepFds}: ${errorMessage(err)}`);
    }
  }
  // As runc: an exec'd process runs under the container's filter, loaded by lxcri-init
  // (liblxc's attach loads none), which create wrote when the container got one.
  const seccomp = existsSync(join(initDirOf(c.runtimeDir), 'seccomp'));
  // The agent would need the exec'd process's host PID, which only liblxc's attach learns.
  if (existsSync(join(initDirOf(c.runtimeDir), SECCOMP_LISTENER))) {
    throw new RuntimeError('invalid-argument', `container "${c.id}" has a seccomp agent (linux.seccomp.listenerPath): exec is not supported in it`);
  }
  const { argv, env } = execArgv(p, (msg) => log.warn(msg), fds, seccomp);
  // lxcri-init starts as the container's root and becomes the process user itself, with
  // the process's bounding set (as runc's exec): liblxc's capability drop would leave it
  // the container process's bounding set, without SETUID/SETGID/SETPCAP.
  return { argv, env, cwd: '/', uid: 0, gid: 0, ...stdio, noNewPrivileges: p.noNewPrivileges === true, dropCapabilities: false };
}

/** Decode a wait status the way a shell reports it: the exit code, or 128+signal. */
export function exitCode(status: number): number {
  const sig = status & 0x7f;
  if (sig === 0) return (status >> 8) & 0xff;
  return 128 + sig;
}

/** Run `p` in the container and wait for it; resolves with its exit code (128+N for signal N). */
export async function execWait(c: Container, lxcpath: string, p: Process, stdio: ExecStdio, log: Logger, fds: ExecFds = {}): Promise<number> {
  checkRunning(c);
  const opts = attachOptions(c, p, stdio, fds, log);
  const h = new (lxc().Container)(c.id, lxcpath);
  try {
    const status = await h.attachRunWait(opts);
    return exitCode(status);
  } catch (err) {
    throw new RuntimeError('system', `exec in container "${c.id}" failed: ${errorMessage(err)}`);
  } finally {
    h.release();
  }
}

/** Start `p` in the container; returns its host PID, a child of this process. */
export function execDetached(c: Container, lxcpath: string, p: Process, stdio: ExecStdio, log: Logger, fds: ExecFds = {}): number {
  checkRunning(c);
  const opts = attachOptions(c, p, stdio, fds, log);
  const h = new (lxc().Container)(c.id, lxcpath);
  try {
    return h.attach(opts);
  } catch (err) {
    throw new RuntimeError('system', `exec in container "${c.id}" failed: ${errorMessage(err)}`);
  } finally {
    h.release();
  }
}
