// <runtime dir>/init: everything lxcri-init needs, bind-mounted read-only at /.lxcri in
// the container until lxcri-init unmounts it. It holds only the process's own args, env
// and cwd in its process record (not the spec, the liblxc config or the hooks), owned by the container's user,
// and the container's own copy of lxcri-init.
import { constants } from 'node:fs';
import { chmod, chown, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InitFiles } from '../lxc/translate.js';
import { INIT_BINARY, initDirOf, INITDIR, SECCOMP_LISTENER, syncFifoOf } from '../base/layout.js';
import { encodeProcessRecord } from '../lxc/processrecord.js';
import { lxc } from '../base/native.js';

/** Host IDs of the container's root (who reads the files) and of its process user. */
export interface InitOwners {
  root: { uid: number; gid: number };
  user: { uid: number; gid: number };
}

/** `initBinary`: the host's lxcri-init, copied into the init dir. */
export async function writeInitDir(runtimeDir: string, files: InitFiles, preserveFds: number, owners: InitOwners, initBinary: string): Promise<void> {
  const dir = initDirOf(runtimeDir);
  await mkdir(dir, { mode: 0o755 });
  // lxcri-init reads these as the container's root, before it becomes the process user.
  const own = async (name: string, data: string | Buffer): Promise<void> => {
    const p = join(dir, name);
    await writeFile(p, data, { mode: 0o400, flag: 'wx' });
    await chown(p, owners.root.uid, owners.root.gid);
  };
  await own(INITDIR.process, encodeProcessRecord({ ...files.process, keepFds: preserveFds }));
  // The record's seccomp=file makes lxcri-init load it (exec hands it on as an fd).
  if (files.seccomp !== undefined) await own(INITDIR.seccomp, files.seccomp);
  // Mount point of the seccomp agent's socket.
  if (files.seccompListener) await writeFile(join(dir, SECCOMP_LISTENER), '', { mode: 0o444, flag: 'wx' });
  // A copy, never the host's file: a container that remounts its init dir rw (with
  // CAP_SYS_ADMIN) or writes through /proc/1/exe changes only its own copy.
  await copyFile(initBinary, join(dir, INIT_BINARY), constants.COPYFILE_EXCL);
  await chmod(join(dir, INIT_BINARY), 0o555);
  // The fifo is opened after the switch, as the process user.
  lxc().mkfifo(syncFifoOf(runtimeDir), 0o600);
  await chown(syncFifoOf(runtimeDir), owners.user.uid, owners.user.gid);
}
