// What create writes into a container's runtime directory before liblxc starts it: the
// init dir, the record, lxcri-hook's instructions and hook records, the liblxc config and
// the spec as created (layout.ts names them all). The container's root (a mapped ID in a
// user namespace) owns what the C helpers read as that user.
import { chown, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CgroupPaths } from '../cgroup/paths.js';
import type { Logger } from '../log/types.js';
import type { Translation } from '../lxc/translate.js';
import type { Bundle } from '../spec/load.js';
import { errorMessage, RuntimeError } from '../base/errors.js';
import { writeInitDir } from './initdir.js';
import { INIT_BINARY, initDirOf, initFileOf, INITDIR, RUNDIR } from '../base/layout.js';
import { lxc } from '../base/native.js';
import { fileId } from './proc.js';
import { writeRecord, type ContainerRecord } from './record.js';
import { writeStaging } from './staging.js';

/** Host IDs of the container's root and of its process user. */
export interface Owners {
  root: { uid: number; gid: number };
  user: { uid: number; gid: number };
}

export interface ContainerFiles {
  id: string;
  /** The liblxc lxcpath (the runtime root) and the container's dir in it. */
  root: string;
  runtimeDir: string;
  bundle: Bundle;
  translation: Translation;
  cgroup: CgroupPaths;
  owners: Owners;
  preserveFds: number;
  /** The host's lxcri-init, of which the init dir gets a copy. */
  initBinary: string;
}

/** Writes everything; returns the record (already on disk). */
export async function writeContainerFiles(f: ContainerFiles, log: Logger): Promise<{ record: ContainerRecord }> {
  const { runtimeDir, bundle, translation, owners } = f;
  const spec = bundle.spec;
  const { root } = owners;
  await writeInitDir(runtimeDir, translation.init, f.preserveFds, owners, f.initBinary);
  // The record as soon as it can be whole: a directory without one reads as damaged
  // (recordshape.ts), which delete --force cleans up.
  const record: ContainerRecord = {
    id: f.id,
    bundle: bundle.path,
    rootfs: bundle.rootfs,
    ociVersion: spec.ociVersion,
    created: new Date().toISOString(),
    annotations: spec.annotations ?? {},
    cgroup: f.cgroup,
    // The container's own copy: while its init runs it, the container is "created".
    initExe: fileId(join(initDirOf(runtimeDir), INIT_BINARY)),
    initDir: translation.initDir,
  };
  // Kept for start and delete, which run them.
  if (spec.hooks?.poststart?.length || spec.hooks?.poststop?.length) {
    record.hooks = { poststart: spec.hooks.poststart, poststop: spec.hooks.poststop };
  }
  await writeRecord(runtimeDir, record);
  // lxcri-hook runs as the container's root: in a user namespace that is a mapped ID,
  // which must read hook.conf and may write its reason for failing to the error file.
  for (const [name, data] of [[RUNDIR.hookConf, translation.hookConf], [RUNDIR.error, '']] as const) {
    await writeFile(join(runtimeDir, name), data, { mode: 0o600 });
    await chown(join(runtimeDir, name), root.uid, root.gid);
  }
  await writeStaging(runtimeDir, translation.staging, root);
  // OCI hooks run by the C helpers, as the container's root (lxcri-init reads its
  // startContainer hooks before it becomes the process user).
  const { createContainer: ccHooks, startContainer: scHooks } = translation.hookRecords;
  if (ccHooks !== undefined) {
    const ccFile = join(runtimeDir, RUNDIR.hooks, RUNDIR.createContainerHooks);
    await mkdir(dirname(ccFile), { mode: 0o700 });
    await chown(dirname(ccFile), root.uid, root.gid);
    await writeFile(ccFile, ccHooks, { mode: 0o400 });
    await chown(ccFile, root.uid, root.gid);
  }
  if (scHooks !== undefined) {
    await writeFile(initFileOf(runtimeDir, INITDIR.hooks), scHooks, { mode: 0o400, flag: 'wx' });
    await chown(initFileOf(runtimeDir, INITDIR.hooks), root.uid, root.gid);
  }
  const lxcConfig = join(runtimeDir, RUNDIR.lxcConfig);
  saveLxcConfig(f.id, f.root, lxcConfig, translation.config.items, log);
  // The spec as created, for inspect and exec (the bundle may change or go away).
  await writeFile(join(runtimeDir, RUNDIR.spec), JSON.stringify(spec), { mode: 0o600 });
  return { record };
}

/** The config items through liblxc (which checks each one) into `file`. */
function saveLxcConfig(id: string, root: string, file: string, items: ReadonlyArray<readonly [string, string]>, log: Logger): void {
  const c = new (lxc().Container)(id, root);
  try {
    c.clearConfig();
    for (const [k, v] of items) {
      log.trace('set config item', { 'lxc.config': k, val: v });
      try {
        c.setConfigItem(k, v);
      } catch (err) {
        throw new RuntimeError('invalid-spec', `liblxc refused ${k} = ${v}: ${errorMessage(err)}`);
      }
    }
    c.saveConfig(file);
  } finally {
    c.release();
  }
}
