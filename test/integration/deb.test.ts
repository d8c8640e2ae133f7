// The Debian package from `make deb`: apt installs it, its /usr/bin/lxcri runs a
// container with an empty environment, its man pages, completion and conffiles are where
// dpkg says, `apt-get remove` leaves only the conffiles and `apt-get purge` leaves nothing
// (the log directory included). It installs into the real system, so it refuses to run
// where an lxcri is installed already or an operator's /etc/default/lxcri exists.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env, REPO, makeBundle, pidAlive, runCmd, waitFor, withArgs, type Result } from '../helpers/lxcri.js';

const LOG_DIR = '/var/log/lxcri';
const SAVED_LOG_DIR = `/var/log/lxcri.pkg-test-${process.pid}`;

function sh(cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: REPO, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const installedStatus = (): string => sh('dpkg-query', ['-W', '-f=${db:Status-Status}', 'lxcri']).stdout;

function skipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root';
  if (!existsSync('/usr/bin/apt-get') || !existsSync('/usr/bin/dpkg-deb')) return 'needs apt-get and dpkg-deb';
  const st = installedStatus();
  if (st !== '' && st !== 'not-installed') return `an lxcri package is on this machine (${st})`;
  if (existsSync('/usr/bin/lxcri')) return '/usr/bin/lxcri exists';
  if (existsSync('/etc/default/lxcri')) return "/etc/default/lxcri exists (an operator's settings; purge would remove them)";
  return undefined;
}

const skip = skipReason();
const env = new Env();
const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const arch = sh('dpkg', ['--print-architecture']).stdout.trim();
const deb = `./lxcri_${version}_${arch}.deb`;
const apt = (...args: string[]) => sh('apt-get', ['-y', '-q', '-o', 'DPkg::Lock::Timeout=120', ...args]);
/** lxcri as a manager runs it: no environment, no flags but the command's. */
const lxcri = (...args: string[]): Promise<Result> => runCmd('/usr/bin/env', ['-i', '/usr/bin/lxcri', ...args]);
const id = `pkg-deb-${process.pid}`;
/** The containers run in the default root; purge removes it once empty, if it made it. */
const runRootExisted = existsSync('/run/lxcri');
let installed = false;

beforeAll(() => {
  if (skip) return;
  const m = sh('make', ['-s', 'deb']);
  if (m.status !== 0) throw new Error(`make deb failed: ${m.stderr}`);
  // purge removes /var/log/lxcri: keep what is there now and put it back afterwards.
  if (existsSync(LOG_DIR)) renameSync(LOG_DIR, SAVED_LOG_DIR);
}, 300_000);

afterAll(async () => {
  if (installed) {
    await lxcri('delete', '--force', id);
    apt('purge', 'lxcri');
  }
  if (existsSync(SAVED_LOG_DIR)) {
    if (existsSync(LOG_DIR)) cpSync(SAVED_LOG_DIR, LOG_DIR, { recursive: true });
    else renameSync(SAVED_LOG_DIR, LOG_DIR);
    rmSync(SAVED_LOG_DIR, { recursive: true, force: true });
  }
  await env.cleanup();
});

describe.skipIf(!!skip)(`the .deb from make deb${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let files: string[] = [];

  it('installs with apt-get, with its man pages, completion and conffiles', () => {
    const r = apt('install', deb);
    installed = true;
    expect(r.status, r.stderr).toBe(0);
    expect(installedStatus()).toBe('installed');
    files = sh('dpkg', ['-L', 'lxcri']).stdout.split('\n').filter((f) => f && statSync(f).isFile());
    expect(r.stdout).toContain('Setting up lxcri');
    for (const f of [
      '/usr/bin/lxcri',
      '/usr/libexec/lxcri/lxcri-start',
      '/usr/libexec/lxcri/lxcri-backup.sh',
      '/usr/share/man/man8/lxcri.8.gz',
      '/usr/share/man/man8/lxcri-create.8.gz',
      '/usr/share/bash-completion/completions/lxcri',
      '/usr/share/lxcri/examples/crio/10-lxcri.conf',
      '/etc/default/lxcri',
      '/etc/logrotate.d/lxcri',
    ]) {
      expect(files, f).toContain(f);
    }
    const conffiles = sh('dpkg-query', ['-W', '-f=${Conffiles}', 'lxcri']).stdout;
    expect(conffiles).toMatch(/^ \/etc\/default\/lxcri [0-9a-f]{32}$/m);
    expect(conffiles).toMatch(/^ \/etc\/logrotate\.d\/lxcri [0-9a-f]{32}$/m);
    // The installed paths, not the build machine's.
    expect(readFileSync('/etc/default/lxcri', 'utf8')).toContain('#LXCRI_CREATE_HOOK=/usr/libexec/lxcri/lxcri-backup.sh\n');
    expect(readFileSync('/usr/share/lxcri/examples/crio/10-lxcri.conf', 'utf8')).toContain('runtime_path = "/usr/bin/lxcri"');
    // postinst: the log directory and the code cache.
    expect(statSync(LOG_DIR).mode & 0o777).toBe(0o750);
    expect(existsSync('/usr/lib/lxcri/lxcri-main.cjs.cache')).toBe(true);
    const man = spawnSync('man', ['lxcri-create'], { encoding: 'utf8', env: { ...process.env, MANPAGER: 'cat', MANWIDTH: '80' } });
    expect(man.status).toBe(0);
    expect(man.stdout).toContain('--bundle');
  }, 300_000);

  it('runs a container through /usr/bin/lxcri with an empty environment', async () => {
    expect(statSync('/usr/bin/lxcri').isFile()).toBe(true);
    // The launcher pins the node the package depends on.
    expect(readFileSync('/usr/bin/lxcri').includes(Buffer.from('/usr/bin/node\0'))).toBe(true);
    const bundle = makeBundle(env, 'bundle', withArgs('sh', '-c', 'echo deb-ok; exec sleep 30'));
    const c = await lxcri('create', '--bundle', bundle, id);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    expect((await lxcri('start', id)).code).toBe(0);
    const st = JSON.parse((await lxcri('state', id)).stdout) as { status: string; pid: number };
    expect(st.status).toBe('running');
    expect((await lxcri('delete', '--force', id)).code).toBe(0);
    await waitFor(() => !pidAlive(st.pid), 10_000, 'the container to stop');
    const s = await lxcri('state', id);
    expect(s.stderr).toBe(`lxcri: container does not exist: ${id}\n`);
    const run = await lxcri('run', '--bundle', makeBundle(env, 'run', withArgs('sh', '-c', 'echo deb-run; exit 3')), `${id}-run`);
    expect(run.stdout).toBe('deb-run\n');
    expect(run.code).toBe(3);
  }, 120_000);

  it('apt-get remove leaves only the conffiles', () => {
    expect(files.length).toBeGreaterThan(10);
    const r = apt('remove', 'lxcri');
    expect(r.status, r.stderr).toBe(0);
    expect(installedStatus()).toBe('config-files');
    expect(files.filter((f) => existsSync(f)).sort()).toEqual(['/etc/default/lxcri', '/etc/logrotate.d/lxcri']);
    for (const d of ['/usr/lib/lxcri', '/usr/libexec/lxcri', '/usr/share/lxcri']) expect(existsSync(d), d).toBe(false);
  }, 300_000);

  it('apt-get purge leaves nothing, not even the log directory', () => {
    const r = apt('purge', 'lxcri');
    expect(r.status, r.stderr).toBe(0);
    installed = false;
    expect(installedStatus()).toMatch(/^(not-installed)?$/);
    expect(files.filter((f) => existsSync(f))).toEqual([]);
    expect(existsSync(LOG_DIR)).toBe(false);
    if (!runRootExisted) expect(existsSync('/run/lxcri')).toBe(false);
  }, 300_000);
});
