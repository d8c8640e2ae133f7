// The create-time half of the OCI hooks that run in the runtime's namespaces. liblxc has no
// hook that runs on the host after the container's namespaces exist but before its mounts
// are finished and pivot_root (lxc.hook.start-host runs after pivot_root and after the
// mount hook), so lxcri-hook, in the mount hook, asks create over <runtime dir>/hooks.sock:
// it sends its PID as the host sees it, create finds the container's init (the ancestor
// whose parent is the monitor), runs prestart then createRuntime with that PID in the
// state, writes the startContainer state for lxcri-init, and answers "ok\n<state JSON>"
// (for the createContainer hooks lxcri-hook runs next) or "error <reason>". It then sends
// each createContainer hook's output as "output\0<path>\0<bytes>", logged here like the
// output of the hooks create runs itself (liblxc would log it raw, line by line).
import { readFileSync } from 'node:fs';
import { chmod, chown, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Logger } from '../log/types.js';
import type { Hooks } from '../spec/types.js';
import { errorMessage } from './errors.js';
import { HOOK_STATUS, OUTPUT_LIMIT, runHooks, type HookState } from './hooks.js';
import { initDirOf, INITDIR, RUNDIR } from './layout.js';
import { listenShort } from './shortsock.js';

export const HOOK_SOCKET = RUNDIR.hookSocket;
/** The startContainer state, next to the hooks in init/ (read by lxcri-init). */
export const START_STATE_FILE = INITDIR.hooksState;

export interface HookServerOptions {
  runtimeDir: string;
  hooks: Hooks;
  /** The state without status and pid. */
  state: Omit<HookState, 'status' | 'pid'>;
  /** Host IDs of the container's root, who runs lxcri-hook and reads init/. */
  root: { uid: number; gid: number };
  /** The monitor's PID, once spawned. */
  monitorPid: () => number | undefined;
  log: Logger;
}

export interface HookServer {
  close(): void;
}

function parentOf(pid: number): number | undefined {
  try {
    const m = /^PPid:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The init among pid's ancestors: the one whose parent is the monitor. */
export function initAncestor(pid: number, monitor: number): number | undefined {
  for (let p: number | undefined = pid, depth = 0; p && p > 1 && depth < 32; depth++) {
    const parent = parentOf(p);
    if (parent === monitor) return p;
    p = parent;
  }
  return undefined;
}

const OUTPUT = Buffer.from('output\0');
/** The PID request is short; an output request carries up to 64 KiB (lxcri-hook's limit). */
const MAX_REQUEST = OUTPUT_LIMIT + 8192;

/** "output\0<hook path>\0<bytes>": the createContainer hook's output, into the log. */
function logOutput(request: Buffer, log: Logger): string {
  const rest = request.subarray(OUTPUT.length);
  const nul = rest.indexOf(0);
  if (nul < 0) return 'error malformed output request';
  const output = rest.subarray(nul + 1, nul + 1 + OUTPUT_LIMIT).toString('utf8');
  if (output) log.info('hook output', { kind: 'createContainer', path: rest.subarray(0, nul).toString('utf8'), output });
  return 'ok';
}

export async function listenHooks(opts: HookServerOptions): Promise<HookServer> {
  const path = join(opts.runtimeDir, HOOK_SOCKET);
  let served = false;
  const answer = async (raw: Buffer): Promise<string> => {
    if (raw.subarray(0, OUTPUT.length).equals(OUTPUT)) return logOutput(raw, opts.log);
    const request = raw.toString('utf8');
    // One request per container: a second one is not lxcri-hook's.
    if (served) return 'error hooks already ran';
    served = true;
    const monitor = opts.monitorPid();
    const hookPid = Number(request.trim());
    const pid = monitor && Number.isSafeInteger(hookPid) ? initAncestor(hookPid, monitor) : undefined;
    if (!pid) return `error cannot find the container's init from hook process ${JSON.stringify(request.trim().slice(0, 20))}`;
    // The statuses crun gives: "created" (what create makes) for the create-time hooks,
    // "starting" for startContainer.
    const created: HookState = { ...opts.state, status: HOOK_STATUS.prestart, pid };
    try {
      await runHooks('prestart', opts.hooks.prestart, created, opts.log);
      await runHooks('createRuntime', opts.hooks.createRuntime, { ...created, status: HOOK_STATUS.createRuntime }, opts.log);
      if (opts.hooks.startContainer?.length) {
        const file = join(initDirOf(opts.runtimeDir), START_STATE_FILE);
        await writeFile(file, JSON.stringify({ ...opts.state, status: HOOK_STATUS.startContainer, pid }), { mode: 0o400, flag: 'wx' });
        await chown(file, opts.root.uid, opts.root.gid);
      }
    } catch (err) {
      return `error ${errorMessage(err)}`;
    }
    return `ok\n${JSON.stringify({ ...created, status: HOOK_STATUS.createContainer })}`;
  };
  const serve = (sock: Socket): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    sock.on('error', () => undefined);
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      size += d.length;
      if (size > MAX_REQUEST) sock.destroy();
    });
    sock.on('end', () => {
      answer(Buffer.concat(chunks)).then(
        (reply) => sock.end(reply),
        (err: unknown) => sock.end(`error ${errorMessage(err)}`),
      );
    });
  };
  const server: Server = createServer({ allowHalfOpen: true }, serve);
  const listening = await listenShort(server, path);
  try {
    await chown(path, opts.root.uid, opts.root.gid);
    await chmod(path, 0o600);
  } catch (err) {
    listening.close();
    throw err;
  }
  return { close: () => listening.close() };
}
