// The operator's interface: the environment file and its precedence, the feature
// switches and the create hook (with the shipped backup example).
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env, LAUNCHER, leftovers, MAIN, makeBundle, REPO, runCmd, withArgs } from '../helpers/lxcri.js';

let env: Env;
beforeAll(() => {
  env = new Env();
});
afterAll(async () => {
  await env.cleanup();
});

describe('environment file', () => {
  it('is read on every call, below the environment and flags', async () => {
    const file = join(env.dir, 'lxcri.env');
    const other = `${env.root}-other`;
    const e = { LXCRI_ENV_FILE: file };
    const b = makeBundle(env, 'envf', withArgs('sleep', '60'));
    writeFileSync(file, '# test\nLXCRI_LOG_LEVEL=debug\n');
    // --root from the harness (a flag) wins over the file's LXCRI_ROOT.
    writeFileSync(file, `LXCRI_ROOT=${other}\nLXCRI_LOG_LEVEL=debug\n`);
    expect((await env.run(['create', '--bundle', b, 'envf'], { env: e })).code).toBe(0);
    expect(existsSync(join(env.root, 'envf'))).toBe(true);
    expect(existsSync(join(other, 'envf'))).toBe(false);
    // debug from the file reached the log: "cmd completed" lines are debug.
    expect(readFileSync(env.logFile, 'utf8')).toMatch(/"cmd":"create","cid":"envf".*"m":"cmd completed"/);
    // The environment beats the file.
    writeFileSync(env.logFile, '');
    await env.run(['state', 'envf'], { env: { ...e, LXCRI_LOG_LEVEL: 'error' } });
    expect(readFileSync(env.logFile, 'utf8')).toBe('');
    // A changed file applies to the next call; a malformed one fails it, naming the line.
    writeFileSync(file, 'LXCRI_LOG_LEVEL=info\nnot an assignment\n');
    const bad = await env.run(['state', 'envf'], { env: e });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toBe(`lxcri: ${file}:2: not a NAME=value line\n`);
    writeFileSync(file, 'LXCRI_DELETE_TIMEOUT=soon\n');
    expect((await env.run(['delete', '--force', 'envf'], { env: e })).stderr).toMatch(/LXCRI_DELETE_TIMEOUT: "soon" is not a positive number/);
    writeFileSync(file, '');
    expect((await env.run(['delete', '--force', 'envf'], { env: e })).code).toBe(0);
  });
});

describe('environment file mistakes', () => {
  it('an unknown LXCRI_ name is a warning with file and line; the call goes on', async () => {
    const file = join(env.dir, 'typo.env');
    writeFileSync(file, '# typo below\nLXCRI_LOG_LEVEL=info\nLXCRI_ROOOT=/elsewhere\nOTHER=1\n');
    writeFileSync(env.logFile, '');
    const r = await env.run(['state', 'bad-typo'], { env: { LXCRI_ENV_FILE: file } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `lxcri: warning: ${file}:3: unknown setting LXCRI_ROOOT (did you mean LXCRI_ROOT?)\nlxcri: container does not exist: bad-typo\n`,
    );
    const warn = readFileSync(env.logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.l === 'warn');
    expect(warn).toMatchObject({ m: 'unknown setting in the environment file', file, line: 3, env: 'LXCRI_ROOOT' });
  });
  it('a missing LXCRI_ENV_FILE and empty settings are refused with one line', async () => {
    const missing = join(env.dir, 'no-such.env');
    const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
      [{ LXCRI_ENV_FILE: missing }, new RegExp(`^lxcri: environment file ${missing} \\(LXCRI_ENV_FILE\\) does not exist$`)],
      [{ LXCRI_ENV_FILE: '' }, /^lxcri: LXCRI_ENV_FILE is empty/],
      [{ LXCRI_LOG_LEVEL: '' }, /^lxcri: LXCRI_LOG_LEVEL is empty \(leave it out for the default, info\)$/],
      [{ LXCRI_CREATE_TIMEOUT: '' }, /^lxcri: LXCRI_CREATE_TIMEOUT is empty/],
    ];
    const b = makeBundle(env, 'bad-empty', withArgs('true'));
    for (const [e, pattern] of cases) {
      const r = await env.run(['create', '--bundle', b, 'bad-empty'], { env: e });
      expect(r.code).toBe(1);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr.trimEnd()).toMatch(pattern);
      expect(leftovers(env, 'bad-empty')).toEqual([]);
    }
    // LXCRI_ROOT= in the file, without the harness's --root: refused, not the working directory.
    const file = join(env.dir, 'empty-root.env');
    writeFileSync(file, 'LXCRI_LOG_LEVEL=info\nLXCRI_ROOT=\n');
    const r = await runCmd(LAUNCHER, ['--log-file', env.logFile, 'create', '--bundle', b, 'bad-empty'], {
      env: { ...process.env, LXCRI_MAIN: MAIN, LXCRI_ENV_FILE: file },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`lxcri: ${file}:2: LXCRI_ROOT is empty (leave it out for the default, /run/lxcri)\n`);
    expect(existsSync(join(process.cwd(), 'bad-empty'))).toBe(false);
  });
});

describe('feature switches', () => {
  it('--seccomp=false drops the profile with a warning in the log', async () => {
    const b = makeBundle(env, 'noseccomp', (s) => {
      s.process!.args = ['sh', '-c', 'mkdir /tmp/x && echo made'];
      s.linux!.seccomp = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' }] };
    });
    const r = await env.run(['--seccomp=false', 'run', '--bundle', b, 'noseccomp']);
    expect(r.stdout).toBe('made\n');
    expect(readFileSync(env.logFile, 'utf8')).toMatch(/"l":"warn".*seccomp switched off by the operator/);
  });
});

describe('create hook', () => {
  it('gets its variables after a create, is killed at its timeout, and hears of failures', async () => {
    const out = join(env.dir, 'hook.out');
    const hook = join(env.dir, 'hook.sh');
    writeFileSync(hook, `#!/bin/sh\nenv | sort > ${out}\n[ "$CONTAINER_ID" != hookslow ] || exec /bin/sleep 30\n`);
    chmodSync(hook, 0o755);
    const b = makeBundle(env, 'hooked', withArgs('true'));
    const c = await env.run(['--create-hook', hook, 'create', '--bundle', b, 'hooked']);
    expect(c.code).toBe(0);
    const vars = Object.fromEntries(
      readFileSync(out, 'utf8').trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)).filter(([k]) => k !== 'PWD'), // sh adds PWD
    );
    expect(vars).toEqual({
      BUNDLE_PATH: b,
      CONTAINER_ID: 'hooked',
      LOG_FILE: env.logFile,
      LXC_CONFIG: join(env.root, 'hooked/config'),
      RUNTIME_CMD: 'create',
      RUNTIME_PATH: join(env.root, 'hooked'),
      SPEC_PATH: join(b, 'config.json'),
    });
    expect((await env.run(['delete', '--force', 'hooked'])).code).toBe(0);

    // A failed create hands it RUNTIME_ERROR; create's own result stands.
    const bad = makeBundle(env, 'hookfail', withArgs('/no/such/program'));
    const f = await env.run(['--create-hook', hook, 'create', '--bundle', bad, 'hookfail']);
    expect(f.code).not.toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^RUNTIME_ERROR=exec: \/no\/such\/program: no such file or directory$/m);
    expect(leftovers(env, 'hookfail')).toEqual([]);

    // Killed at its timeout; the create succeeds and the failure is logged.
    const began = Date.now();
    const t = await env.run(['--create-hook', hook, '--create-hook-timeout', '1', 'create', '--bundle', b, 'hookslow']);
    expect(t.code).toBe(0);
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(readFileSync(env.logFile, 'utf8')).toMatch(/"m":"create hook failed"/);
    expect((await env.run(['delete', '--force', 'hookslow'])).code).toBe(0);
  });

  it('the backup example copies what a failing container was given', async () => {
    const bad = makeBundle(env, 'backup-bundle', withArgs('/no/such/program'));
    const f = await env.run(['--create-hook', join(REPO, 'env/lxcri-backup.sh'), 'create', '--bundle', bad, 'backup']);
    expect(f.code).not.toBe(0);
    const dest = join(env.dir, 'backup'); // next to the log file
    expect(JSON.parse(readFileSync(join(dest, 'spec.json'), 'utf8')).process.args).toEqual(['/no/such/program']);
    expect(readFileSync(join(dest, 'config'), 'utf8')).toMatch(/^lxc\.init\.cmd = \/\.lxcri\/lxcri-init$/m);
    expect(readFileSync(join(dest, 'init/process'), 'utf8')).toContain('\0arg=/no/such/program\0');
    expect(readFileSync(join(dest, 'create.txt'), 'utf8')).toMatch(/error: exec: \/no\/such\/program: no such file or directory/);
  });
});

describe('log', () => {
  it('has typed zerolog fields, liblxc lines beside them, and inspect shows the container', async () => {
    const b = makeBundle(env, 'logf', withArgs('sleep', '60'));
    writeFileSync(env.logFile, '');
    expect((await env.run(['--log-level', 'debug', '--container-log-level', 'info', 'create', '--bundle', b, 'logf'])).code).toBe(0);
    const i = await env.run(['inspect', 'logf']);
    const doc = JSON.parse(i.stdout) as { state: { status: string }; spec: { hostname: string }; lxcConfig: Array<[string, string]>; record: { id: string } };
    expect(doc.state.status).toBe('created');
    expect(doc.spec.hostname).toBe('lxcri-demo');
    expect(doc.lxcConfig).toContainEqual(['lxc.init.cmd', '/.lxcri/lxcri-init']);
    expect(doc.record.id).toBe('logf');
    expect((await env.run(['delete', '--force', 'logf'])).code).toBe(0);
    const lines = readFileSync(env.logFile, 'utf8').trim().split('\n');
    expect(lines.some((l) => l.startsWith('lxc logf '))).toBe(true);
    const ours = lines.filter((l) => !l.startsWith('lxc ')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const done = ours.find((l) => l.cmd === 'create' && l.m === 'cmd completed')!;
    expect(done).toMatchObject({ l: 'debug', cid: 'logf' });
    expect(typeof done.duration).toBe('number');
    expect(Date.parse(done.t as string)).toBeGreaterThan(0);
    expect(done.c).toMatch(/^[a-z]+\.ts:\d+$/);
    expect(ours.find((l) => l.m === 'monitor process started')).toMatchObject({ pid: expect.any(Number), c: expect.stringMatching(/^create\.ts:\d+$/) });
  });

  it('at trace level names the liblxc keys it sets and the variables settings came from', async () => {
    writeFileSync(env.logFile, '');
    const b = makeBundle(env, 'trace', withArgs('true'));
    expect((await env.run(['run', '--bundle', b, 'trace'], { env: { LXCRI_LOG_LEVEL: 'trace' } })).code).toBe(0);
    const ours = readFileSync(env.logFile, 'utf8').trim().split('\n').filter((l) => !l.startsWith('lxc ')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(ours).toContainEqual(expect.objectContaining({ env: 'LXCRI_LOG_LEVEL', source: 'environment' }));
    expect(ours).toContainEqual(expect.objectContaining({ 'lxc.config': 'lxc.init.cmd', val: '/.lxcri/lxcri-init', m: 'set config item' }));
  });
});
