// Mount points inside the rootfs, made before liblxc mounts anything. liblxc's create=dir
// and create=file follow symlinks (mkdir_p, open O_CREAT): an image link such as
// /.lxcri -> /proc/self/root/tmp/x, or one swapped in while create runs, had it make host
// paths as root. So every mount point is walked to here one component at a time from an
// fd of the rootfs (native mountPointStep: O_NOFOLLOW, mkdirat/openat relative to the
// parent fd), with the container's view of its earlier mounts laid over it:
//   - a symlink's target is resolved as in the container: an absolute one from the
//     container's root, ".." never above it (RESOLVE_IN_ROOT, but refused instead of
//     clamped); magic links are never followed, their text is just a path;
//   - a path that an earlier mount's destination covers continues in that mount: in a
//     bind mount's source (the same fd walk there, so a `link -> /tmp` in a volume leads
//     to the rootfs's /tmp, as the container sees it), or in a file system that does not
//     exist yet.
// liblxc then gets a symlink-free path relative to the rootfs, and its mount opens that
// without following symlinks (safe_mount), so a link swapped in later fails the mount.
//
// liblxc is never asked to create anything (no create=). Mount points below a tmpfs of
// the spec cannot be made in advance (the tmpfs is empty until mounted), and liblxc's
// create= there still walks the path string from the rootfs: a directory on the way
// renamed away and replaced by a link (renameat2) made host paths 12 times in 60. So each
// tmpfs is staged: lxcri-hook mounts it in its pre-mount run at <runtime dir>/stage/N (in
// the container's mount namespace, not propagated to the host), makes the mount points
// below it by fd, and liblxc binds it onto its destination. Below any other file system
// that is only mounted later (proc, sysfs, cgroup, devpts, mqueue, a device) nothing is
// made: the mount point must exist there.
import { closeSync, statSync } from 'node:fs';
import type { MountPointStep } from '../native.js';
import { errnoCode, invalidSpec, RuntimeError } from '../base/errors.js';
import { lxc } from '../base/native.js';
import { refuseFifo } from './fifodest.js';

const MAX_LINKS = 40;

export type MountPointKind = 'dir' | 'file';

/** What a mount puts on its destination, for the mount points below it. */
export type MountedFs =
  | { fs: 'bind'; source: string }
  /** A tmpfs of the spec, staged at stage/<stage> (stageTmpfs). */
  | { fs: 'fresh'; stage: number }
  /** Any other file system, also only there once liblxc has mounted it. */
  | { fs: 'kernel' };

export interface Placed {
  /** The mount point relative to the rootfs, without symlinks ("" is the root). */
  path: string;
}

export interface MountPointOptions {
  /** What is made gets the owner of the directory it is made in (in a user namespace). */
  inheritOwner?: boolean;
  /** Where staged tmpfs are mounted (<runtime dir>/stage). */
  stageDir: string;
}

/** A tmpfs lxcri-hook mounts at stage/<id> before liblxc binds it to its destination. */
export interface StagedTmpfs {
  id: number;
  source: string;
  /** mount(2) flags, MS_RDONLY applied only after the mount points are made. */
  flags: number;
  data: string;
  /** Mount points to make in it: paths relative to its root. */
  make: Array<{ path: string; kind: MountPointKind }>;
}

interface Level {
  name: string;
  /** O_PATH fd of this directory on the host; null inside a file system not mounted yet. */
  fd: number | null;
  /** Inside a staged tmpfs (its id), rather than another later file system (null). */
  stage: number | null;
  /** Path below the staged tmpfs's root. */
  inStage: string[];
}

const invalid = (destination: string, why: string): RuntimeError =>
  invalidSpec(`mount destination ${destination} ${why}`);

/** The mount points of one container, placed in the order liblxc mounts. */
export class MountPoints {
  /** Earlier mounts by their symlink-free destination; a later one on the same path wins. */
  private readonly mounted = new Map<string, MountedFs>();
  /** The staged tmpfs, in the order they were placed. */
  readonly staged: StagedTmpfs[] = [];

  constructor(
    private readonly rootfs: string,
    private readonly opts: MountPointOptions,
  ) {}

  /** A tmpfs to stage; its mount entry binds stageDir/<id> (the returned path). */
  stageTmpfs(source: string, flags: number, data: string): { id: number; path: string } {
    const id = this.staged.length;
    this.staged.push({ id, source, flags, data, make: [] });
    return { id, path: `${this.opts.stageDir}/${id}` };
  }

  /**
   * The mount point of a mount on `destination`, made (as `kind`, when not null) if
   * missing; `then` is what the mount puts there, for the mount points placed after it.
   */
  place(destination: string, kind: MountPointKind | null, then: MountedFs): Placed {
    const placed = this.walk(destination, kind);
    this.mounted.set(placed.path, then);
    return placed;
  }

  private walk(destination: string, kind: MountPointKind | null): Placed {
    const native = lxc();
    const stack: Level[] = [];
    const closeAll = (): void => {
      for (const l of stack.splice(0)) if (l.fd !== null) closeSync(l.fd);
    };
    const enterRoot = (): void => {
      closeAll();
      stack.push({ name: '', fd: this.openDir(destination, this.rootfs), stage: null, inStage: [] });
    };
    try {
      enterRoot();
      let todo = destination.split('/');
      let links = 0;
      let lastMissing = false;
      while (todo.length > 0) {
        const c = todo.shift()!;
        if (c === '' || c === '.') continue;
        if (c === '..') {
          if (stack.length === 1) throw invalid(destination, 'escapes the rootfs through a symlink or ".."');
          const l = stack.pop()!;
          if (l.fd !== null) closeSync(l.fd);
          continue;
        }
        const top = stack.at(-1)!;
        const path = [...stack.slice(1).map((l) => l.name), c].join('/');
        const last = !todo.some((t) => t !== '' && t !== '.');
        const over = this.mounted.get(path);
        if (over) {
          // An earlier mount covers this path: go on in what it mounts.
          const fd = over.fs === 'bind' ? this.openBindSource(destination, over.source) : null;
          if (over.fs === 'bind' && fd === null && !last) throw invalid(destination, `is below /${path}, which is no directory bind mount`);
          stack.push({ name: c, fd, stage: over.fs === 'fresh' ? over.stage : null, inStage: [] });
          lastMissing = false;
          continue;
        }
        if (top.fd === null) {
          // Below a file system not mounted yet: names only (no symlink can be there).
          stack.push({ name: c, fd: null, stage: top.stage, inStage: [...top.inStage, c] });
          lastMissing = true;
          continue;
        }
        const make = kind === null ? null : last ? kind : 'dir';
        let step: MountPointStep;
        try {
          step = native.mountPointStep(top.fd, c, make, this.opts.inheritOwner === true);
        } catch (err) {
          throw stepError(destination, path, err);
        }
        if (step.type === 'missing') {
          // Not to be made (an optional bind whose source is missing): the rest as named.
          if (todo.includes('..')) throw invalid(destination, 'has ".." below a missing directory');
          const rest = [path, ...todo.filter((t) => t !== '' && t !== '.')].join('/');
          return { path: rest };
        }
        if (step.type === 'link') {
          closeSync(step.fd);
          if (++links > MAX_LINKS) throw invalid(destination, 'has too many symlinks');
          const target = step.target ?? '';
          if (target.startsWith('/')) enterRoot();
          todo = [...target.split('/'), ...todo];
          continue;
        }
        if (!last && step.type !== 'dir') {
          closeSync(step.fd);
          throw invalid(destination, `cannot be made: /${path} is not a directory`);
        }
        stack.push({ name: c, fd: step.fd, stage: null, inStage: [] });
        if (last && step.type === 'other') refuseFifo(step.fd, destination);
        lastMissing = false;
      }
      const path = stack.slice(1).map((l) => l.name).join('/');
      const here = stack.at(-1)!;
      // In a staged tmpfs lxcri-hook makes it (and its parents), by fd, before liblxc mounts.
      if (here.fd === null && here.stage !== null && lastMissing && kind !== null) {
        this.staged[here.stage]!.make.push({ path: here.inStage.join('/'), kind });
      }
      return { path };
    } finally {
      closeAll();
    }
  }

  private openDir(destination: string, dir: string): number {
    try {
      return lxc().openDirPath(dir);
    } catch (err) {
      throw new RuntimeError('system', `mount destination ${destination}: cannot open ${dir}: ${sysText(err)}`);
    }
  }

  /** A bind source on the host; null for a file (nothing can be below it). */
  private openBindSource(destination: string, source: string): number | null {
    let dir: boolean;
    try {
      dir = statSync(source).isDirectory();
    } catch {
      return null; // an optional bind whose source is missing: liblxc skips it
    }
    return dir ? this.openDir(destination, source) : null;
  }
}

function sysText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/^.*?: /, '').replace(/\s*\n\s*/g, '; ');
}

function stepError(destination: string, path: string, err: unknown): RuntimeError {
  if (err instanceof RuntimeError) return err;
  // ENOTDIR: a file where a directory was needed; anything else is the host's trouble.
  const kind = errnoCode(err) === 'ENOTDIR' ? 'invalid-spec' : 'system';
  return new RuntimeError(kind, `mount destination ${destination}: cannot make its mount point /${path}: ${sysText(err)}`);
}
