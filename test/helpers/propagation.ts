// linux.rootfsPropagation fixtures: the busybox rootfs bind-mounted on a private and on a
// shared host mount made by the test (so that the host's own propagation does not matter),
// and the propagation tags of "/" a container of lxcri, runc or crun sees.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { busyboxRootfs, leftovers, makeBundle, type Env } from './lxcri.js';
import { runOther, type OtherRuntime } from './oci.js';

export class PropagationRoots {
  // Not in env.dir (0700): a user namespace's root must reach the rootfs.
  private readonly base = mkdtempSync(join(tmpdir(), 'lxcri-test-mo-prop-'));
  private readonly mounts: string[] = [];
  readonly private: string;
  readonly shared: string;
  /** The peer group of the shared mount ("shared:N" on the host). */
  readonly peer: string;

  constructor(private readonly env: Env) {
    chmodSync(this.base, 0o755);
    this.private = this.bind('private');
    this.shared = this.bind('shared');
    const line = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => l.split(' ')[4] === this.shared)!;
    this.peer = /shared:(\d+)/.exec(line)![1]!;
  }

  private bind(propagation: 'private' | 'shared'): string {
    const dir = join(this.base, propagation);
    mkdirSync(dir);
    execFileSync('mount', ['--bind', busyboxRootfs(), dir]);
    this.mounts.push(dir);
    execFileSync('mount', [`--make-${propagation}`, dir]);
    return dir;
  }

  /** Unmounts first: a recursive removal would go through the mounts into the rootfs. */
  cleanup(): void {
    for (const m of this.mounts.reverse()) execFileSync('umount', [m]);
    rmSync(this.base, { recursive: true, force: true });
  }

  /** The optional fields of "/" in the container's mountinfo: "shared:N", "master:N", "unbindable". */
  async tags(id: string, root: string, propagation: string, rt: 'lxcri' | OtherRuntime = 'lxcri', userns = false): Promise<string[]> {
    const bundle = makeBundle(this.env, id, (s) => {
      s.ociVersion = '1.0.2'; // crun 1.8 takes 1.0.x configs only
      s.root = { path: root, readonly: true };
      s.linux!.rootfsPropagation = propagation;
      s.process!.args = ['cat', '/proc/self/mountinfo'];
      if (userns) {
        s.linux!.namespaces!.push({ type: 'user' });
        s.linux!.uidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
        s.linux!.gidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
      }
    });
    const r = rt === 'lxcri' ? await this.env.run(['run', '--bundle', bundle, id]) : await runOther(this.env, rt, bundle, id);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    if (rt === 'lxcri') expect(leftovers(this.env, id)).toEqual([]);
    const line = r.stdout.split('\n').find((l) => l.split(' ')[4] === '/');
    expect(line).toBeDefined();
    const f = line!.split(' ');
    return f.slice(6, f.indexOf('-'));
  }
}
