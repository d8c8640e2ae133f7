// Removing a container's cgroups in every hierarchy: create ends liblxc's monitor before
// it could, so delete (and a failed create) always does it.
import { readdir, rmdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../base/errors.js';
import { hierarchyDirs, type CgroupMounts } from './mounts.js';
import type { CgroupPaths } from './paths.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** rmdir a cgroup and its descendants, deepest first. ENOENT counts as done. */
async function removeTree(dir: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return;
    throw err;
  }
  for (const e of entries) if (e.isDirectory()) await removeTree(join(dir, e.name));
  try {
    await rmdir(dir);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
}

/** PIDs in a cgroup tree (v2 or v1). */
export async function cgroupPids(dir: string): Promise<number[]> {
  const pids: number[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    try {
      for (const l of (await readFile(join(d, 'cgroup.procs'), 'utf8')).split('\n')) if (l) pids.push(Number(l));
    } catch {
      /* vanished */
    }
    for (const e of entries) if (e.isDirectory()) await walk(join(d, e.name));
  };
  await walk(dir);
  return pids;
}

/**
 * Remove `rel` in every hierarchy; retries while processes are still leaving (EBUSY),
 * up to the deadline. Returns the directories that could not be removed.
 */
export async function removeCgroup(mounts: CgroupMounts, rel: string, deadline: number): Promise<string[]> {
  const dirs = hierarchyDirs(mounts, rel);
  const left: string[] = [];
  for (const dir of dirs) {
    for (;;) {
      try {
        await removeTree(dir);
        break;
      } catch (err) {
        const code = errnoCode(err);
        if ((code === 'EBUSY' || code === 'ENOTEMPTY') && Date.now() < deadline) {
          await sleep(5);
          continue;
        }
        left.push(dir);
        break;
      }
    }
  }
  return left;
}

/**
 * Remove a container's own cgroup and its monitor's in every hierarchy (the shared
 * parents are sweep.ts's, under the parent lock). Returns the cgroups that stayed busy
 * until the deadline.
 */
export async function removeContainerCgroups(mounts: CgroupMounts, paths: CgroupPaths, deadline: number): Promise<string[]> {
  const left: string[] = [];
  for (const rel of [paths.container, paths.monitor]) left.push(...(await removeCgroup(mounts, rel, deadline)));
  return left;
}
