// A manager sees an OOM kill (issue 10), on a pure cgroup v2 host (the VM of
// test/cgroup2-vm/run; skipped elsewhere): podman 4.3 sets .State.OOMKilled and conmon,
// driven as CRI-O drives it, writes its "oom" file. conmon learns of an OOM by watching
// memory.events of the cgroup of the pid file's PID, so both need that PID to be the
// container's init in the container's cgroup. Each case runs with runc too, to show
// the test itself holds.
//
// podman 4.3 reads <bundle>/oom (its StaticDir), but conmon 2.1.6 writes "oom" into its
// cwd (and into --persist-dir, which podman 4.3 does not pass), and podman starts conmon
// in its own cwd (conmon#504, podman#13102). So the container is created first and
// `podman start` runs in its bundle dir, as CRI-O runs conmon in the bundle dir. Every
// podman and conmon call has a cwd under W: an "oom" file never lands in the tree.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostControllers } from '../../src/cgroup/controllers.js';
import { cgroupMounts } from '../../src/cgroup/mounts.js';
import { LAUNCHER, MAIN, REPO, runCmd, sampleSpec, waitFor, type Result } from '../helpers/lxcri.js';
import { have, podmanEnv, rmCgroupTree } from '../helpers/podman.js';
import { HOG, MIB } from '../helpers/resources.js';

const mounts = cgroupMounts();
const pureV2 = hostControllers(mounts).available.has('memory');
const CG = mounts.unified ?? '/sys/fs/cgroup';
const RUNC = '/usr/sbin/runc';
const CONMON = '/usr/bin/conmon';
const missing = [!have('podman') && 'podman', !existsSync(CONMON) && 'conmon', !existsSync(RUNC) && 'runc'].filter(Boolean);
if (pureV2 && missing.length) throw new Error(`the cgroup v2 manager tests need ${missing.join(', ')} (make test-deps)`);

const T = 600_000;
const tag = `vm-${process.pid}`;
const PARENT = `lxcri-vm-mgr-${tag}`; // podman --cgroup-parent and the conmon bundles' cgroup parent
const LIMIT = 32 * MIB;
let W = '';

const runtimes = ['runc', 'lxcri'] as const;
type Runtime = (typeof runtimes)[number];

const podman = (rt: Runtime, args: string[], cwd = W): Promise<Result> =>
  runCmd('podman', ['--runtime', rt, ...args], { env: podmanEnv(W), cwd, timeoutMs: 300_000 });
const why = (r: Result): string => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

/** The runtime binary and root a manager is given: runc, or the tree's lxcri through a wrapper. */
const runtimePath = (rt: Runtime): string => (rt === 'runc' ? RUNC : join(W, 'lxcri'));
const runtimeRoot = (rt: Runtime): string => join('/run', `lxcri-${tag}-${rt}`);

describe.skipIf(!pureV2)('a manager sees the OOM kill of a container on cgroup v2', () => {
  let rootfs = '';
  beforeAll(() => {
    W = mkdtempSync(`/tmp/lxcri-${tag}-`);
    chmodSync(W, 0o755);
    for (const d of ['tmp', 'libpod-tmp', 'storage', 'runroot', 'net']) mkdirSync(join(W, d));
    // podman --rootfs runs a directory without an image store; a private copy, as podman
    // adds mount points to it.
    rootfs = join(W, 'rootfs');
    const mk = spawnSync(join(REPO, 'scripts/mkrootfs.sh'), [rootfs], { encoding: 'utf8' });
    if (mk.status !== 0) throw new Error(`mkrootfs failed: ${mk.stderr}`);
    // podman and conmon give the runtime almost no environment: the wrapper names the tree.
    writeFileSync(
      join(W, 'lxcri'),
      `#!/bin/sh\nLXCRI_MAIN=${MAIN} LXCRI_ROOT=${runtimeRoot('lxcri')} LXCRI_LOG_FILE=${W}/lxcri.log ` +
        `LXCRI_MONITOR_CGROUP=${PARENT}/lxcri-monitor exec ${LAUNCHER} "$@"\n`,
    );
    chmodSync(join(W, 'lxcri'), 0o755);
    writeFileSync(join(W, 'storage.conf'), `[storage]\ndriver = "vfs"\ngraphroot = "${W}/storage"\nrunroot = "${W}/runroot"\n`);
    writeFileSync(join(W, 'registries.conf'), 'unqualified-search-registries = []\n');
    writeFileSync(
      join(W, 'containers.conf'),
      `[containers]\nnetns = "none"\nlog_driver = "k8s-file"\n\n` +
        `[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\nlock_type = "file"\nruntime = "runc"\n` +
        `conmon_path = ["${CONMON}"]\ntmp_dir = "${W}/libpod-tmp"\nstatic_dir = "${W}/storage/libpod"\nvolume_path = "${W}/volumes"\n\n` +
        `[engine.runtimes]\nlxcri = ["${runtimePath('lxcri')}"]\nrunc = ["${RUNC}"]\n\n[network]\nnetwork_config_dir = "${W}/net"\n`,
    );
  });

  afterAll(async () => {
    for (const rt of runtimes) {
      await podman(rt, ['rm', '-f', '-a', '-t', '0']);
      const root = runtimeRoot(rt);
      for (const id of existsSync(root) ? readdirSync(root) : []) await runCmd(runtimePath(rt), ['--root', root, 'delete', '--force', id], { cwd: W });
      rmSync(root, { recursive: true, force: true });
    }
    rmCgroupTree(join(CG, PARENT));
    for (const m of readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4])) {
      if (m?.startsWith(`${W}/`)) spawnSync('umount', ['-l', m]);
    }
    rmSync(W, { recursive: true, force: true });
  }, T);

  it.each(runtimes)('podman (%s): run --memory 32m of a process that allocates 64 MiB ends OOMKilled, exit 137', async (rt) => {
    const name = `oom-${rt}`;
    const c = await podman(rt, ['create', '--name', name, '--memory', '32m', `--cgroup-parent=/${PARENT}`, '--rootfs', rootfs, ...HOG]);
    expect(c.code, why(c)).toBe(0);
    const bundle = (await podman(rt, ['inspect', '--format', '{{.StaticDir}}', name])).stdout.trim();
    expect(bundle).toMatch(/\/userdata$/); // config.json appears there at start
    expect(existsSync(bundle), bundle).toBe(true);
    const s = await podman(rt, ['start', '-a', name], bundle);
    expect(s.stdout).not.toMatch(/survived/);
    expect(s.code, why(s)).toBe(137);
    const i = await podman(rt, ['inspect', '--format', '{{.State.OOMKilled}} {{.State.ExitCode}}', name]);
    expect(i.stdout.trim(), why(i)).toBe('true 137');
    expect((await podman(rt, ['rm', name])).code).toBe(0);
  }, T);

  it.each(runtimes)('conmon alone with CRI-O flags (%s): the OOM kill leaves conmon\'s oom file and exit 137', async (rt) => {
    const id = `${tag}-crio-${rt}`;
    const dir = join(W, id);
    const bundle = join(dir, 'bundle');
    for (const d of ['bundle', 'exits', 'persist', 'sock']) mkdirSync(join(dir, d), { recursive: true });
    const spec = sampleSpec();
    spec.root = { path: rootfs, readonly: true };
    spec.process!.args = [...HOG];
    spec.linux!.cgroupsPath = `/${PARENT}/crio-${id}`;
    spec.linux!.resources = { ...spec.linux!.resources, memory: { limit: LIMIT, swap: LIMIT } };
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
    const root = runtimeRoot(rt);
    const env = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };
    // CRI-O runs conmon in the bundle dir, passes --root through --runtime-arg (one token)
    const c = await runCmd(CONMON, [
      '--api-version', '1', '-b', bundle, '-c', id, '-u', id, '-n', id, '--exit-dir', join(dir, 'exits'), '-l', join(dir, 'ctr.log'),
      '-P', join(bundle, 'conmon-pidfile'), '-p', join(bundle, 'pidfile'), '--persist-dir', join(dir, 'persist'),
      '-r', runtimePath(rt), '--runtime-arg', `--root=${root}`, '--socket-dir-path', join(dir, 'sock'), '--log-level', 'warning',
    ], { env, cwd: bundle, timeoutMs: 300_000 });
    expect(c.code, why(c)).toBe(0);
    await waitFor(() => existsSync(join(bundle, 'pidfile')) && readFileSync(join(bundle, 'pidfile'), 'utf8').length > 0, 120_000, 'the pid file');
    // conmon arms its OOM watch on the cgroup of this PID (managers.md 1.3, item 2)
    const pid = Number(readFileSync(join(bundle, 'pidfile'), 'utf8'));
    expect(readFileSync(`/proc/${pid}/cgroup`, 'utf8'), `the pid file's PID ${pid} is not in the container's cgroup`).toBe(`0::/${PARENT}/crio-${id}\n`);
    const st = await runCmd(runtimePath(rt), ['--root', root, 'start', id], { env, cwd: bundle, timeoutMs: 300_000 });
    expect(st.code, why(st)).toBe(0);
    const exitFile = join(dir, 'exits', id);
    await waitFor(() => existsSync(exitFile) && readFileSync(exitFile, 'utf8') !== '', 240_000, 'the exit file');
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('137');
    expect(existsSync(join(dir, 'persist', 'oom')), 'conmon saw no OOM in the cgroup of the pid file\'s PID').toBe(true);
    const del = await runCmd(runtimePath(rt), ['--root', root, 'delete', '--force', id], { env, cwd: bundle, timeoutMs: 300_000 });
    expect(del.code, why(del)).toBe(0);
  }, T);
});
