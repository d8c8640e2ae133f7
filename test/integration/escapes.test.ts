// Nothing lxcri mounts into a container may be a host file or directory the container can
// remount rw (issue 14 item 2): the init dir holds the container's own copy of lxcri-init
// and lxcri-init unmounts it before the process runs; exec brings lxcri-init and the
// seccomp profile in on fds. Nothing that joins a container may show a host executable
// behind /proc/<pid>/exe (item 1): exec attaches from lxcri-attach, re-executed from a
// sealed memfd. Run against a temporary copy of the helpers, never the tree's or the
// installed ones.
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES, capNumber } from '../../src/lxc/capabilities.js';
import type { Spec } from '../../src/spec/types.js';
import { Env, makeBundle, processesWhere, REPO, waitFor } from '../helpers/lxcri.js';
import { HELPERS } from '../../src/base/location.js';

let env: Env;
let libexec: string;

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const run = (args: string[], stdoutFile?: string) => env.run(args, { env: { LXCRI_LIBEXEC: libexec }, stdoutFile });

beforeAll(() => {
  env = new Env();
  libexec = mkdtempSync(join(tmpdir(), 'lxcri-esd-libexec-'));
  chmodSync(libexec, 0o755);
  for (const h of HELPERS) {
    copyFileSync(join(REPO, 'libexec', h), join(libexec, h));
    chmodSync(join(libexec, h), 0o755);
  }
});
afterAll(async () => {
  await env.cleanup();
  rmSync(libexec, { recursive: true, force: true });
});

/** Every capability this process has (a sandbox may lack some), no no_new_privs: the
 * container may mount, remount and ptrace. */
function privileged(s: Spec, script: string): void {
  s.process!.args = ['sh', '-c', script];
  const bnd = BigInt('0x' + /^CapBnd:\s*(\w+)/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]);
  const all = ALL_CAPABILITIES.bounding!.filter((c) => bnd & (1n << BigInt(capNumber(c, 'bounding'))));
  s.process!.capabilities = { bounding: all, effective: all, permitted: all };
  s.process!.noNewPrivileges = false;
}

/** Lines of a mountinfo that show the runtime dir, a helper or an init dir. */
function lxcriMounts(mountinfo: string): string[] {
  return mountinfo.split('\n').filter((l) => {
    const f = l.split(' ');
    const [root, point] = [f[3] ?? '', f[4] ?? ''];
    return root.includes(basename(env.root)) || root.includes(basename(libexec)) || root.includes('lxcri-init') || point.endsWith('/.lxcri') || point.includes('lxcri-init');
  });
}

// Remount rw whatever lxcri mounted (what mountinfo shows of the runtime root, the helpers'
// dir, or an init dir) and write through it: the init binary and a new file in the dir.
const ATTACK = (rootName: string, libName: string): string => `
for m in $(awk '$4 ~ /${rootName}|${libName}|lxcri-init/ || $5 ~ /\\.lxcri|lxcri-init/ {print $5}' /proc/self/mountinfo); do
  mount -o remount,rw,bind "$m" && echo "remounted $m"
done
for d in /.lxcri /dev/.lxcri; do
  [ -f $d/lxcri-init ] && echo planted 2>/dev/null >> $d/lxcri-init && echo "wrote $d/lxcri-init"
  # (an empty mount point on the read-only rootfs once nothing is mounted on it)
  [ -d $d ] && echo planted 2>/dev/null > $d/planted && echo "wrote $d/planted"
done
echo attack-done
`;

/** PIDs of lxcri-attach processes joining the container whose init is `init`. */
const exeOf = (pid: number): string => {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return ''; // gone meanwhile
  }
};
const attachers = (init: number): number[] => processesWhere((argv) => argv[0]!.endsWith('/lxcri-attach') && argv[argv.indexOf('--pid') + 1] === String(init));

describe('escapes: nothing of the host is mounted for the container to remount', () => {
  it('a container with every capability cannot write the host lxcri-init or runtime dir; after start nothing of either is mounted', async () => {
    const id = 'esd-remount';
    const before = sha(join(libexec, 'lxcri-init'));
    const out = join(env.dir, `${id}.out`);
    const bundle = makeBundle(env, id, (s) => privileged(s, `${ATTACK(basename(env.root), basename(libexec))}exec sleep 600`));
    const c = await run(['create', '--bundle', bundle, id], out);
    expect(c).toMatchObject({ code: 0, stderr: '' });
    const st = await run(['start', id]);
    expect(st).toMatchObject({ code: 0, stderr: '' });
    await waitFor(() => readFileSync(out, 'utf8').includes('attack-done'), 10_000, 'the attack script');

    // The host's binary and runtime dir are as they were.
    expect(sha(join(libexec, 'lxcri-init'))).toBe(before);
    expect(readdirSync(join(env.root, id, 'init'))).not.toContain('planted');
    // The process found nothing to remount or write.
    expect(readFileSync(out, 'utf8')).toBe('attack-done\n');
    // Its mount namespace holds nothing of the runtime dir, the helpers or an init dir.
    const pid = (await env.state(id)).pid;
    expect(lxcriMounts(readFileSync(`/proc/${pid}/mountinfo`, 'utf8'))).toEqual([]);

    // exec still works, sees no such mount either, and inherits no fd of lxcri's.
    const e = await run(['exec', id, 'sh', '-c', `${ATTACK(basename(env.root), basename(libexec))}ls /proc/self/fd`]);
    expect(e).toMatchObject({ code: 0, stderr: '' });
    expect(e.stdout).toBe('attack-done\n0\n1\n2\n3\n');
    expect(sha(join(libexec, 'lxcri-init'))).toBe(before);
    expect((await run(['delete', '--force', id])).code).toBe(0);
  });

  it('exec looks up no path in the container: a planted /.lxcri/lxcri-init or a fake /proc is never run', async () => {
    const id = 'esd-plant';
    // The process (with CAP_SYS_ADMIN) plants its own lxcri-init where exec used to find
    // it and hides /proc under a tmpfs with a self/fd of its own.
    const plant = `
for d in /.lxcri /proc; do mount -t tmpfs tmpfs $d; done
mkdir -p /proc/self/fd
for f in /.lxcri/lxcri-init /proc/self/fd/3 /proc/self/fd/4 /proc/self/fd/5 /proc/self/fd/6; do
  printf '#!/bin/sh\\necho planted-ran\\n' > $f && chmod 755 $f
done
echo planted
exec sleep 600`;
    const out = join(env.dir, `${id}.out`);
    const bundle = makeBundle(env, id, (s) => privileged(s, plant));
    expect(await run(['create', '--bundle', bundle, id], out)).toMatchObject({ code: 0, stderr: '' });
    expect(await run(['start', id])).toMatchObject({ code: 0, stderr: '' });
    await waitFor(() => readFileSync(out, 'utf8').includes('planted'), 10_000, 'the planted files');
    expect(await run(['exec', id, 'echo', 'real'])).toMatchObject({ code: 0, stdout: 'real\n', stderr: '' });
    expect((await run(['delete', '--force', id])).code).toBe(0);
  });

  it('exec: what joins the container is a fork of a sealed memfd (lxcri-attach), no host file a container could write', async () => {
    const id = 'esd-memfd';
    const bundle = makeBundle(env, id, (s) => privileged(s, 'exec sleep 600'));
    expect(await run(['create', '--bundle', bundle, id])).toMatchObject({ code: 0, stderr: '' });
    expect(await run(['start', id])).toMatchObject({ code: 0, stderr: '' });
    // lxcri-attach forks the joining process, which waits for it: its executable is what
    // /proc/<pid>/exe shows for the joining process until lxcri-init runs.
    const init = (await env.state(id)).pid;
    const e = run(['exec', id, 'sleep', '2']);
    // Caught before it re-executed itself, it still shows the host file: wait for the
    // re-executed one, which must come (else the wait fails).
    const sealed = (): number[] => attachers(init).filter((p) => exeOf(p).startsWith('/memfd:'));
    await waitFor(() => sealed().length > 0, 10_000, 'lxcri-attach running from its memfd');
    const [pid] = sealed();
    expect(readlinkSync(`/proc/${pid}/exe`)).toMatch(/^\/memfd:lxcri-attach \(deleted\)$/);
    // The CVE-2019-5736 way: hold it open while it runs, write it once nothing runs it.
    const held = openSync(`/proc/${pid}/exe`, 'r');
    try {
      expect(await e).toMatchObject({ code: 0, stderr: '' });
      await waitFor(() => attachers(init).length === 0, 10_000, 'lxcri-attach to exit');
      const w = openSync(`/proc/self/fd/${held}`, 'r+');
      try {
        expect(() => writeSync(w, 'planted')).toThrow(/EPERM/);
      } finally {
        closeSync(w);
      }
    } finally {
      closeSync(held);
    }
    // Detached: the process is left to lxcri's parent as before, with its PID in the file.
    const pidFile = join(env.dir, `${id}.pid`);
    expect(await run(['exec', '--detach', '--pid-file', pidFile, id, 'sleep', '1'])).toMatchObject({ code: 0, stderr: '' });
    expect(Number(readFileSync(pidFile, 'utf8'))).toBeGreaterThan(0);
    expect((await run(['delete', '--force', id])).code).toBe(0);
  });

  it('exec keeps the seccomp filter without the init dir and hands the process no fd of lxcri\'s', async () => {
    const id = 'esd-exec';
    const bundle = makeBundle(env, id, (s) => {
      privileged(s, 'exec sleep 600');
      s.linux!.seccomp = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }] };
    });
    expect(await run(['create', '--bundle', bundle, id])).toMatchObject({ code: 0, stderr: '' });
    expect(await run(['start', id])).toMatchObject({ code: 0, stderr: '' });

    const denied = await run(['exec', id, 'mkdir', '/tmp/esd']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/Operation not permitted/);
    // Run under the filter, with only stdio open.
    const fds = await run(['exec', id, 'ls', '/proc/self/fd']);
    expect(fds).toMatchObject({ code: 0, stdout: '0\n1\n2\n3\n', stderr: '' });

    expect((await run(['delete', '--force', id])).code).toBe(0);
  });
});
