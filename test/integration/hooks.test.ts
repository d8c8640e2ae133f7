// OCI hooks through the CLI with real containers: each kind at its time, in its namespaces,
// with the state on stdin, the spec's argv (args[0] is argv[0]) and env, and the failure
// rules (create-time and startContainer failures are fatal, poststart/poststop are not).
import { existsSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env, leftovers, makeBundle, type Result } from '../helpers/lxcri.js';
import type { Hook, Hooks, Spec } from '../../src/spec/types.js';

let env: Env;
beforeAll(() => {
  env = new Env();
});
afterAll(async () => {
  await env.cleanup();
});

// Records $0 and the arguments, the environment, stdin and the mount namespace, then
// appends the hook's kind to the order file. Runs on the host and in the busybox rootfs.
const RECORD =
  'k=$1; d=$2; echo "$0 $*" > "$d/$k.argv"; env > "$d/$k.env"; cat > "$d/$k.stdin"; ' +
  'readlink /proc/self/ns/mnt > "$d/$k.mntns"; echo "$k" >> "$d/order"';

const recorder = (kind: string, dir: string): Hook => ({
  path: '/bin/sh',
  args: ['sh', '-c', RECORD, `hook-${kind}`, kind, dir],
  env: ['PATH=/usr/bin:/bin', 'HOOKVAR=v 1'],
});
const failing = (status: number): Hook => ({ path: '/bin/sh', args: ['sh', '-c', `exit ${status}`] });
const sleeping: Hook = { path: '/bin/sh', args: ['sh', '-c', 'sleep 10'], timeout: 1 };

function bundleWith(id: string, hooks: Hooks, edit: (s: Spec) => void = () => undefined): { bundle: string; out: string } {
  const out = join(env.dir, `${id}-out`);
  mkdirSync(out, { recursive: true });
  const bundle = makeBundle(env, id, (s) => {
    s.process!.args = ['sh', '-c', 'echo ran > /hookout/process'];
    s.mounts = [...(s.mounts ?? []), { destination: '/hookout', type: 'bind', source: out, options: ['rbind', 'rw'] }];
    s.annotations = { 'org.example.k': 'v' };
    s.hooks = hooks;
    edit(s);
  });
  return { bundle, out };
}

const read = (out: string, name: string): string => readFileSync(join(out, name), 'utf8');
const stdinState = (out: string, kind: string): Record<string, unknown> => JSON.parse(read(out, `${kind}.stdin`)) as Record<string, unknown>;

function expectCreateFailed(r: Result, pattern: RegExp, id: string): void {
  expect(r.code).not.toBe(0);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(leftovers(env, id)).toEqual([]);
}

describe('hooks', () => {
  it('runs every kind at its time with the state, argv and env of the spec', async () => {
    const id = 'hk-all';
    const out = join(env.dir, `${id}-out`);
    const { bundle } = bundleWith(id, {
      prestart: [recorder('prestart', out)],
      createRuntime: [recorder('createRuntime', out)],
      createContainer: [recorder('createContainer', out)],
      startContainer: [recorder('startContainer', '/hookout')],
      poststart: [recorder('poststart', out)],
      poststop: [recorder('poststop', out)],
    });
    const c = await env.run(['create', '--bundle', bundle, id]);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    expect(c.stdout).toBe('');
    expect(read(out, 'order')).toBe('prestart\ncreateRuntime\ncreateContainer\n');
    const st = await env.state(id);
    const hostMnt = readlinkSync('/proc/self/ns/mnt');
    const ctrMnt = readlinkSync(`/proc/${st.pid}/ns/mnt`);
    // The statuses are crun's: "created" for the create-time hooks, "starting", "running",
    // "stopped" (test/cgroup2/hookstatus.test.ts compares with crun, which needs cgroup v2).
    for (const kind of ['prestart', 'createRuntime', 'createContainer']) {
      expect(stdinState(out, kind)).toEqual({
        ociVersion: st.ociVersion, id, status: 'created', pid: st.pid, bundle, annotations: { 'org.example.k': 'v' },
      });
      expect(read(out, `${kind}.argv`)).toBe(`hook-${kind} ${kind} ${out}\n`);
      const hookEnv = read(out, `${kind}.env`);
      expect(hookEnv).toContain('HOOKVAR=v 1\n');
      expect(hookEnv).not.toContain('LXCRI_MAIN');
    }
    expect(read(out, 'prestart.mntns')).toBe(`${hostMnt}\n`);
    expect(read(out, 'createRuntime.mntns')).toBe(`${hostMnt}\n`);
    expect(read(out, 'createContainer.mntns')).toBe(`${ctrMnt}\n`);

    const s = await env.run(['start', id]);
    expect(s.code).toBe(0);
    expect(s.stdout + s.stderr).toBe('');
    await new Promise((r) => setTimeout(r, 300));
    expect(read(out, 'process')).toBe('ran\n');
    expect(read(out, 'order')).toBe('prestart\ncreateRuntime\ncreateContainer\nstartContainer\npoststart\n');
    expect(stdinState(out, 'startContainer')).toEqual({
      ociVersion: st.ociVersion, id, status: 'starting', pid: st.pid, bundle, annotations: { 'org.example.k': 'v' },
    });
    expect(read(out, 'startContainer.argv')).toBe('hook-startContainer startContainer /hookout\n');
    expect(read(out, 'startContainer.mntns')).toBe(`${ctrMnt}\n`);
    expect(read(out, 'startContainer.env')).toContain('HOOKVAR=v 1\n');
    // "running" even though the process has exited by now, as crun gives it.
    expect(stdinState(out, 'poststart')).toEqual({
      ociVersion: st.ociVersion, id, status: 'running', pid: st.pid, bundle, annotations: { 'org.example.k': 'v' },
    });

    const d = await env.run(['delete', '--force', id]);
    expect(d.code).toBe(0);
    expect(d.stdout + d.stderr).toBe('');
    expect(read(out, 'order')).toMatch(/poststart\npoststop\n$/);
    expect(stdinState(out, 'poststop')).toEqual({
      ociVersion: st.ociVersion, id, status: 'stopped', pid: 0, bundle, annotations: { 'org.example.k': 'v' },
    });
    expect(read(out, 'poststop.mntns')).toBe(`${hostMnt}\n`);
    expect(leftovers(env, id)).toEqual([]);
  });

  it('fails create on a failing createRuntime hook, leaving nothing behind', async () => {
    const { bundle, out } = bundleWith('hk-crfail', { createRuntime: [failing(3)], createContainer: [recorder('createContainer', join(env.dir, 'hk-crfail-out'))] });
    expectCreateFailed(await env.run(['create', '--bundle', bundle, 'hk-crfail']), /createRuntime hook \/bin\/sh: exited with status 3/, 'hk-crfail');
    expect(existsSync(join(out, 'order'))).toBe(false);
  });

  it('fails create on a failing createContainer hook, leaving nothing behind', async () => {
    const { bundle } = bundleWith('hk-ccfail', { createContainer: [failing(4)] });
    expectCreateFailed(await env.run(['create', '--bundle', bundle, 'hk-ccfail']), /createContainer hook \/bin\/sh: exited with status 4/, 'hk-ccfail');
  });

  it('kills a hook at its timeout and fails create', async () => {
    const t0 = Date.now();
    const { bundle } = bundleWith('hk-crslow', { createRuntime: [sleeping] });
    expectCreateFailed(await env.run(['create', '--bundle', bundle, 'hk-crslow']), /createRuntime hook \/bin\/sh: timed out after 1s/, 'hk-crslow');
    const { bundle: b2 } = bundleWith('hk-ccslow', { createContainer: [sleeping] });
    expectCreateFailed(await env.run(['create', '--bundle', b2, 'hk-ccslow']), /createContainer hook \/bin\/sh: timed out after 1s/, 'hk-ccslow');
    expect(Date.now() - t0).toBeLessThan(8000);
  });

  it('refuses a relative hook path before creating anything', async () => {
    const { bundle } = bundleWith('hk-rel', { poststop: [{ path: 'bin/true' }] });
    expectCreateFailed(await env.run(['create', '--bundle', bundle, 'hk-rel']), /hooks\.poststop\[0\]\.path "bin\/true" must be absolute/, 'hk-rel');
  });

  it('only warns about failing poststart and poststop hooks', async () => {
    const id = 'hk-postfail';
    const { bundle } = bundleWith(id, { poststart: [failing(5)], poststop: [failing(6)] });
    expect((await env.run(['create', '--bundle', bundle, id])).code).toBe(0);
    const s = await env.run(['start', id]);
    expect(s.code).toBe(0);
    expect(s.stdout).toBe('');
    expect(s.stderr).toMatch(/^lxcri: warning: poststart hook \/bin\/sh: exited with status 5\n$/);
    const d = await env.run(['delete', '--force', id]);
    expect(d.code).toBe(0);
    expect(d.stderr).toMatch(/^lxcri: warning: poststop hook \/bin\/sh: exited with status 6\n$/);
    expect(leftovers(env, id)).toEqual([]);
  });

  it('does not run the process when a startContainer hook fails', async () => {
    const id = 'hk-scfail';
    const { bundle, out } = bundleWith(id, { startContainer: [{ path: '/bin/sh', args: ['sh', '-c', 'echo hook-says-no >&2; exit 7'] }] });
    const r = await env.run(['run', '--bundle', bundle, id]);
    expect(r.code).toBe(125);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('hook-says-no\n');
    expect(r.stderr).toContain('lxcri-init: startContainer hook /bin/sh: exited with status 7\n');
    expect(existsSync(join(out, 'process'))).toBe(false);
    expect(leftovers(env, id)).toEqual([]);
  });
});

describe('hook output in the log', () => {
  // Several lines, one that looks like a log record, control characters, no final newline.
  const NOISY =
    '#!/bin/sh\necho "line one"\necho \'{"l":"error","m":"not lxcri"}\'\n' +
    'printf \'ctrl \\033[31mred\\033[0m bell\\a cr\\rmid tab\\there\\n\'\necho "to stderr" >&2\nprintf "no newline"\n' +
    '[ "$1" != fail ] || { printf "\\nlast words\\n"; exit 3; }\n';
  // stdout and stderr are separate pipes for the hooks lxcri runs: their order may differ.
  const PIECES = ['line one\n', '{"l":"error","m":"not lxcri"}\n', 'ctrl \x1b[31mred\x1b[0m bell\x07 cr\rmid tab\there\n', 'to stderr\n', 'no newline'];
  const expectOutput = (output: unknown, extra = ''): void => {
    expect(typeof output).toBe('string');
    for (const p of PIECES) expect(output).toContain(p);
    expect((output as string).length).toBe(PIECES.join('').length + extra.length);
    if (extra) expect(output).toContain(extra);
  };

  /** Every line of the log is lxcri's JSON or liblxc's "lxc ..." (the README's grep | jq). */
  function logRecords(): Array<Record<string, unknown>> {
    const lines = readFileSync(env.logFile, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    const ours: Array<Record<string, unknown>> = [];
    for (const line of lines) {
      if (line.startsWith('lxc ')) continue;
      let rec: Record<string, unknown> | undefined;
      try {
        rec = JSON.parse(line) as Record<string, unknown>;
      } catch {
        /* reported below */
      }
      expect(rec, `log line ${JSON.stringify(line)}`).toBeTypeOf('object');
      ours.push(rec!);
    }
    return ours;
  }

  it('is a JSON field for every kind; each log line is JSON or liblxc\'s', async () => {
    const script = join(env.dir, 'noisy.sh');
    writeFileSync(script, NOISY, { mode: 0o755 });
    const noisy: Hook = { path: script }; // no args: argv is just the path
    // With a seccomp profile at liblxc's trace level, which would dump the filter code raw.
    const { bundle } = bundleWith('bad-hookout', { createContainer: [noisy], prestart: [noisy], poststart: [noisy], poststop: [noisy] }, (s) => {
      s.linux!.seccomp = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO' }] };
    });
    writeFileSync(env.logFile, '');
    const g = ['--log-level', 'debug', '--container-log-level', 'trace'];
    const c = await env.run([...g, 'create', '--bundle', bundle, 'bad-hookout']);
    expect(c.stderr).toBe('');
    expect((await env.run([...g, 'start', 'bad-hookout'])).code).toBe(0);
    expect((await env.run([...g, 'delete', '--force', 'bad-hookout'])).code).toBe(0);
    const records = logRecords();
    expect(records.find((r) => r.l === 'warn' && /liblxc logs at debug, not trace/.test(String(r.m)))).toBeDefined();
    const outputs = records.filter((r) => r.m === 'hook output');
    expect(outputs.map((r) => r.kind).sort()).toEqual(['createContainer', 'poststart', 'poststop', 'prestart']);
    for (const r of outputs) {
      expect(r).toMatchObject({ l: 'info', path: script });
      expectOutput(r.output);
    }
    // liblxc's own lines are there too, and none of them carries the hook's text raw.
    const lxcLines = readFileSync(env.logFile, 'utf8').split('\n').filter((l) => l.startsWith('lxc bad-hookout '));
    expect(lxcLines.some((l) => / DEBUG /.test(l))).toBe(true);
    expect(lxcLines.filter((l) => l.includes('line one'))).toEqual([]);
  });

  it('of a failing createContainer hook: its last line ends the error, the log stays clean', async () => {
    const script = join(env.dir, 'noisy-fail.sh');
    writeFileSync(script, NOISY, { mode: 0o755 });
    const { bundle } = bundleWith('bad-hookfail', { createContainer: [{ path: script, args: ['noisy', 'fail'] }] });
    writeFileSync(env.logFile, '');
    const r = await env.run(['--container-log-level', 'debug', 'create', '--bundle', bundle, 'bad-hookfail']);
    expectCreateFailed(r, new RegExp(`^lxcri: lxcri-hook: createContainer hook ${script}: exited with status 3: last words\n$`), 'bad-hookfail');
    const recs = logRecords();
    const rec = recs.find((x) => x.m === 'hook output');
    expect(rec).toMatchObject({ kind: 'createContainer', path: script });
    expectOutput(rec!.output, '\nlast words\n');
    // lxcri-hook's reason reaches liblxc's log as one line, without an empty one after it.
    const log = readFileSync(env.logFile, 'utf8');
    expect(log).toMatch(/^lxc bad-hookfail .* produced output: lxcri-hook: createContainer hook .*: exited with status 3: last words$/m);
    expect(log).not.toMatch(/\n\n/);
  });
});
