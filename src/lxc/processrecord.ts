// The process record: the one way the process spec reaches lxcri-init, in create mode as
// the init dir's file (INITDIR.process) and in exec mode as a sealed memfd handed on through
// lxcri-attach (`lxcri-init --exec FD`). Entries "KEY=VALUE\0"; libexec/procspec.h documents
// the format and is its one reader in C; test/unit/processrecord.test.ts holds the names
// here and there alike and both sides decode test/fixtures/process-record/.
import type { Process } from '../spec/types.js';
import type { CapabilitySets } from './capabilities.js';
import { dedupeEnv, identityLine } from './process.js';
import { rlimitSpecs } from './rlimits.js';

/** The keys (procspec.h PROCREC_KEY_*). */
export const PROCESS_RECORD_KEYS = {
  identity: 'identity',
  cwd: 'cwd',
  terminal: 'terminal',
  keepFds: 'keep-fds',
  seccomp: 'seccomp',
  rlimit: 'rlimit',
  env: 'env',
  arg: 'arg',
} as const;

export interface ProcessRecord {
  args: string[];
  env: string[];
  /** '' stands for /. */
  cwd: string;
  /** identityLine without its newline. */
  identity: string;
  /** 'console': lxcri-init makes a pty in the container's devpts (create); 'stdin': stdin is a pty slave of ours. */
  terminal?: 'console' | 'stdin';
  /** Fds 3..3+N-1 stay open. */
  keepFds?: number;
  /** 'file': the init dir's INITDIR.seccomp; a number: the fd lxcri-init reads the profile from. */
  seccomp?: 'file' | number;
  /** "R:SOFT:HARD" (rlimits.ts rlimitSpecs). */
  rlimits?: string[];
}

/** What create or exec adds to the process: how lxcri-init gets its terminal, fds and
 * filter, and whether it sets the rlimits itself (create leaves them to liblxc's
 * lxc.prlimit, applied from the host, which a user namespace's root could not raise). */
export interface RecordAdds {
  terminal?: 'console' | 'stdin';
  keepFds?: number;
  seccomp?: 'file' | number;
  rlimits: boolean;
}

/** The record of `p` (checked: args non-empty, env KEY=VALUE). */
export function processRecordOf(p: Process, caps: CapabilitySets, add: RecordAdds): ProcessRecord {
  return {
    args: p.args ?? [],
    env: dedupeEnv(p.env ?? []),
    cwd: p.cwd,
    identity: identityLine(p, caps).trimEnd(),
    ...(add.terminal ? { terminal: add.terminal } : {}),
    ...(add.keepFds ? { keepFds: add.keepFds } : {}),
    ...(add.seccomp !== undefined ? { seccomp: add.seccomp } : {}),
    ...(add.rlimits && p.rlimits?.length ? { rlimits: rlimitSpecs(p.rlimits) } : {}),
  };
}

/** The record's bytes. A value must not hold a NUL (the spec's strings cannot: checked at load). */
export function encodeProcessRecord(r: ProcessRecord): Buffer {
  const K = PROCESS_RECORD_KEYS;
  const entries: Array<[string, string]> = [[K.identity, r.identity], [K.cwd, r.cwd]];
  if (r.terminal) entries.push([K.terminal, r.terminal]);
  if (r.keepFds) entries.push([K.keepFds, String(r.keepFds)]);
  if (r.seccomp !== undefined) entries.push([K.seccomp, r.seccomp === 'file' ? 'file' : `fd:${r.seccomp}`]);
  for (const l of r.rlimits ?? []) entries.push([K.rlimit, l]);
  for (const e of r.env) entries.push([K.env, e]);
  for (const a of r.args) entries.push([K.arg, a]);
  for (const [k, v] of entries) if (v.includes('\0')) throw new Error(`process record: ${k} holds a NUL byte`);
  return Buffer.from(entries.map(([k, v]) => `${k}=${v}\0`).join(''), 'utf8');
}

/** The record back from its bytes (inspection and the tests; lxcri-init's procspec.c reads it in C). */
export function decodeProcessRecord(data: Buffer): ProcessRecord {
  const text = data.toString('utf8');
  if (!text.endsWith('\0')) throw new Error('process record: truncated (its last entry has no NUL)');
  const r: ProcessRecord = { args: [], env: [], cwd: '', identity: '' };
  const seen = new Set<string>();
  const K = PROCESS_RECORD_KEYS;
  for (const entry of text.slice(0, -1).split('\0')) {
    const eq = entry.indexOf('=');
    if (eq < 0) throw new Error(`process record: entry "${entry}" is not KEY=VALUE`);
    const [key, value] = [entry.slice(0, eq), entry.slice(eq + 1)];
    const once = [K.identity, K.cwd, K.terminal, K.keepFds, K.seccomp] as string[];
    if (once.includes(key) && seen.has(key)) throw new Error(`process record: "${key}" twice`);
    seen.add(key);
    if (key === K.identity) r.identity = value;
    else if (key === K.cwd) r.cwd = value;
    else if (key === K.terminal && (value === 'console' || value === 'stdin')) r.terminal = value;
    else if (key === K.keepFds && /^\d+$/.test(value)) r.keepFds = Number(value);
    else if (key === K.seccomp && value === 'file') r.seccomp = 'file';
    else if (key === K.seccomp && /^fd:\d+$/.test(value)) r.seccomp = Number(value.slice(3));
    else if (key === K.rlimit) (r.rlimits ??= []).push(value);
    else if (key === K.env) r.env.push(value);
    else if (key === K.arg) r.args.push(value);
    else throw new Error(`process record: unknown key or malformed value in "${entry}"`);
  }
  for (const k of [K.identity, K.cwd]) if (!seen.has(k)) throw new Error(`process record: no ${k}`);
  if (!r.args.length) throw new Error('process record: no arguments');
  return r;
}
