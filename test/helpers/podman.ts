// What the podman and conmon tests share: a podman environment isolated from the system's
// configuration (managers.md (c), (f)) in a work dir W, and the look for a manager's binary.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

/** podman's environment: W's containers.conf, storage.conf, registries.conf and tmp dir; no Node settings. */
export const podmanEnv = (w: string): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_EXTRA_CA_CERTS: undefined,
  NODE_OPTIONS: undefined,
  CONTAINERS_CONF: join(w, 'containers.conf'),
  CONTAINERS_STORAGE_CONF: join(w, 'storage.conf'),
  CONTAINERS_REGISTRIES_CONF: join(w, 'registries.conf'),
  TMPDIR: join(w, 'tmp'),
});

/** Is `bin` on PATH? */
export const have = (bin: string): boolean => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;

/** Removes a cgroup dir tree bottom-up (cgroup dirs go with rmdir, not rm -r); a busy one stays, for the leftover checks. */
export function rmCgroupTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) rmCgroupTree(join(dir, e.name));
  try {
    rmdirSync(dir);
  } catch {
    /* still busy */
  }
}
