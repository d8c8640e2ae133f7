// The container process state a seccomp agent gets with the notification fd (the runtime
// spec's listenerPath): written by create once the init's PID is known, into the init dir
// where lxcri-init reads it, as the process user, before it sends it with the fd.
import { chown, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Spec } from '../spec/types.js';
import { initDirOf, SECCOMP_STATE } from '../base/layout.js';

export interface SeccompStateInput {
  runtimeDir: string;
  id: string;
  bundle: string;
  spec: Spec;
  /** The init's host PID: the process the filter is for. */
  pid: number;
  /** Host IDs of the process user, who reads the file. */
  owner: { uid: number; gid: number };
}

export function seccompState(i: SeccompStateInput): Record<string, unknown> {
  const metadata = i.spec.linux?.seccomp?.listenerMetadata;
  const annotations = i.spec.annotations ?? {};
  return {
    ociVersion: i.spec.ociVersion,
    fds: ['seccompFd'],
    pid: i.pid,
    ...(typeof metadata === 'string' && metadata !== '' ? { metadata } : {}),
    // As runc: the status while create runs, when this is written.
    state: {
      ociVersion: i.spec.ociVersion,
      id: i.id,
      status: 'creating',
      pid: i.pid,
      bundle: i.bundle,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
  };
}

export async function writeSeccompState(i: SeccompStateInput): Promise<void> {
  const file = join(initDirOf(i.runtimeDir), SECCOMP_STATE);
  await writeFile(file, JSON.stringify(seccompState(i)), { mode: 0o400, flag: 'wx' });
  await chown(file, i.owner.uid, i.owner.gid);
}
