// The runtime's own record of a container, <root>/<id>/lxcri.json. create writes it as soon
// as it can be whole (so a killed create can still be cleaned up), then with the monitor,
// the init and without the monitor once it has ended it. state, kill and delete read only
// this file and /proc.
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { CgroupPaths } from '../cgroup/paths.js';
import { errnoCode } from '../base/errors.js';
import { writeFileAtomic } from '../base/files.js';
import { RUNDIR } from '../base/layout.js';
import { DamagedRecord, parseRecord } from './recordshape.js';
import { NotReadableFile, readRegularFile } from './regularfile.js';
import type { Hook } from '../spec/types.js';
import type { FileId, ProcRef } from './proc.js';

export const RECORD_FILE = RUNDIR.record;
/** Far more than a record holds (its hooks are the spec's poststart and poststop). */
const MAX_RECORD = 4 << 20;

export interface ContainerRecord {
  id: string;
  /** Absolute bundle path, reported as state.bundle. */
  bundle: string;
  rootfs: string;
  /** The spec's ociVersion, reported as state.ociVersion. */
  ociVersion: string;
  /** RFC 3339 creation time. */
  created: string;
  annotations: Record<string, string>;
  cgroup: CgroupPaths;
  /** Identity of the lxcri-init binary: while init runs it, the container is "created". */
  initExe: FileId;
  /** Where lxcri-init and its files are mounted in the container (INIT_DIR if absent). */
  initDir?: string;
  /** The lxcri-start process while create runs; absent before it was spawned and after create ended it. */
  monitor?: ProcRef;
  /** The container's init (host PID); absent until create saw it ready. */
  init?: ProcRef;
  /** The spec's hooks that run after create (absolute paths, as the spec requires). */
  hooks?: { poststart?: Hook[]; poststop?: Hook[] };
}

/**
 * The record in the runtime directory `dir`; undefined when `dir` itself does not exist.
 * A record that is missing from an existing `dir`, unreadable or of the wrong shape is a
 * DamagedRecord error (recordshape.ts).
 */
export async function readRecord(dir: string): Promise<ContainerRecord | undefined> {
  const file = join(dir, RECORD_FILE);
  const id = basename(dir);
  let text: string;
  try {
    // Read on this thread: every call reads it, and a round trip to the thread pool costs
    // more than the read (a regular file of the runtime dir, bounded).
    text = readRegularFile(file, MAX_RECORD);
  } catch (err) {
    if (err instanceof NotReadableFile) throw new DamagedRecord(id, file, err.message);
    if (errnoCode(err) !== 'ENOENT') throw new DamagedRecord(id, file, `cannot read it (${errnoCode(err) ?? String(err)})`);
    try {
      await stat(dir);
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return undefined;
    }
    throw new DamagedRecord(id, file, 'the file is missing');
  }
  return parseRecord(text, file, id);
}

export async function writeRecord(dir: string, rec: ContainerRecord): Promise<void> {
  await writeFileAtomic(join(dir, RECORD_FILE), JSON.stringify(rec));
}
