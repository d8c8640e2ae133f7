// lxcri as an npm package: `npm pack`, installed into an empty TypeScript project (its
// install script builds the addon and the C helpers), type-checked with tsc --strict and
// driven through `import { Runtime } from 'lxcri'` with real busybox containers.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cgroupRoots, Env, leftovers, makeBundle, REPO } from '../helpers/lxcri.js';

let env: Env;
let project: string;
let tarball: string;

function sh(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_EXTRA_CA_CERTS: '' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const versionOf = (pkg: string): string => (JSON.parse(readFileSync(join(REPO, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;

beforeAll(() => {
  env = new Env();
  const packDir = join(env.dir, 'pack');
  mkdirSync(packDir);
  sh('npm', ['pack', '--silent', '--pack-destination', packDir], REPO);
  tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
  project = join(env.dir, 'project');
  mkdirSync(project);
  // npm >= 11 runs a dependency's install script only when the project allows it.
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'lxcri-consumer', private: true, type: 'module', allowScripts: { lxcri: true } }));
  // The same TypeScript and Node types as the repository: in npm's cache already.
  sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, `typescript@${versionOf('typescript')}`, `@types/node@${versionOf('@types/node')}`], project);
}, 300_000);

afterAll(async () => {
  await env.cleanup();
});

describe('the lxcri npm package', () => {
  it('ships its types, the addon and helper sources, and no CLI dependencies', () => {
    const files = sh('tar', ['-tzf', tarball], env.dir).split('\n');
    expect(files).toContain('package/dist/lib/index.d.ts');
    expect(files).toContain('package/dist/lib/native.d.ts');
    expect(files).toContain('package/libexec/lxcri-init.c');
    expect(files).toContain('package/native/addon.cc');
    expect(files.some((f) => f.startsWith('package/dist/lib/cli/') || f.startsWith('package/src/'))).toBe(false);
    const prod = sh('npm', ['ls', '--omit=dev', '--all', '--parseable'], project);
    expect(prod).toMatch(/node_modules\/lxcri$/m);
    for (const cliOnly of ['yargs', 'pino', 'dotenv']) expect(prod).not.toMatch(new RegExp(`node_modules/${cliOnly}$`, 'm'));
  });

  it('type-checks with tsc --strict and drives every API call with real containers', async () => {
    const bundle = makeBundle(env, 'lib-pkg-bundle', (s) => {
      s.process!.args = ['sh', '-c', 'trap "exit 42" TERM; echo from-bundle-path; while :; do sleep 0.2; done'];
    });
    // A libexec dir without lxcri-init.
    const partial = join(env.dir, 'partial-libexec');
    mkdirSync(partial);
    for (const h of ['lxcri-start', 'lxcri-hook']) symlinkSync(join(project, 'node_modules/lxcri/libexec', h), join(partial, h));
    const out = join(env.dir, 'out');
    mkdirSync(out);

    mkdirSync(join(project, 'src'));
    copyFileSync(join(REPO, 'test/package/consumer.ts'), join(project, 'src/main.ts'));
    const tsconfig = {
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, noEmitOnError: true, outDir: 'out', types: ['node'] },
      include: ['src'],
    };
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig));
    sh(join(project, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], project);

    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((res, rej) => {
      const p = spawn(process.execPath, [join(project, 'out/main.js'), env.root, bundle, out, partial], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const t = setTimeout(() => p.kill('SIGKILL'), 90_000);
      p.on('error', rej);
      p.on('close', (code) => {
        clearTimeout(t);
        res({ code, stdout, stderr });
      });
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    expect(line, run.stdout).toBeDefined();
    const r = JSON.parse(line!.slice('RESULT '.length)) as Record<string, unknown>;

    // Found its own helpers, built on install, without configuration.
    expect(r.libexecDir).toBe(join(project, 'node_modules/lxcri/libexec'));
    expect(r.created).toBe('created');
    expect(r.started).toBe('running');
    expect(r.listed).toEqual(['lib-pkg-b']);
    expect(r.got).toBe(true);
    // The container's stdio went where the caller said.
    expect(readFileSync(join(out, 'bundle.out'), 'utf8')).toBe('from-bundle-path\n');
    expect(readFileSync(join(out, 'spec.out'), 'utf8')).toBe('from-spec-object\n');
    // exec: exit status, output to a pipe and to a file.
    expect(r.execCode).toBe(3);
    expect(run.stdout).toMatch(/^exec-to-pipe$/m);
    expect(r.execFileCode).toBe(0);
    expect(readFileSync(join(out, 'exec.out'), 'utf8')).toBe('lxcri-demo\n');
    expect(r.detachedPid).toBeGreaterThan(0);
    expect(r.detachedCgroup).toMatch(/\/lxcri\/lib-pkg-b$/); // lxcri-attach joins the container's own cgroup
    expect(r.detachedExit).toBe(5);
    expect(r.detachedReaped).toBe(true);
    // pause/resume through the cgroup2 freezer (on hybrid hosts too).
    expect(r.pause).toBeUndefined();
    expect(r.paused).toBe('paused');
    expect(r.resumed).toBe('running');
    // update: applied where a pids controller exists, in cgroup2 or in a v1 hierarchy
    // (as on this hybrid host); else the CLI's refusal naming the controller.
    const v2pids = cgroupRoots().some((root) => {
      try {
        return /\bpids\b/.test(readFileSync(join(root, 'cgroup.controllers'), 'utf8'));
      } catch {
        return false;
      }
    });
    const v1pids = /^\d+:([^:]*,)?pids(,[^:]*)?:/m.test(readFileSync('/proc/self/cgroup', 'utf8'));
    expect(r.update).toBe(v2pids || v1pids ? 'ok' : expect.stringMatching(/^invalid-argument: invalid resources: pids: the pids controller is not available/));
    expect(r.badUpdate).toMatch(/^invalid-argument: resources does not match the OCI schema: \/pids\/limit/);
    // kill by name and by number; wait reports the exit status.
    expect(r.waitByName).toBe(42);
    expect(r.stoppedByName).toBe('stopped');
    expect(r.deleteWarnings).toEqual([]);
    expect(r.bundleDeletedKept).toBe(true);
    expect(r.killDeleted).toBe('not-running: container not running: lib-pkg-b');
    expect(r.unknownSignal).toBe('invalid-argument: invalid signal "SIGNOPE"');
    expect(r.waitByNumber).toBe(137);
    // A spec object gets a private bundle, which delete removes.
    expect(r.specBundle).toMatch(new RegExp(`^${env.root}/\\.bundles/lib-pkg-s-`));
    expect(r.specBundleConfig).toBe(true);
    expect(r.specBundleGone).toBe(true);
    // A missing helper names itself.
    expect(r.missingHelper).toBe(`system: lxcri-init not found (looked in ${partial})`);
    expect(r.missingLeft).toBe(false);
    expect(r.noBundle).toBe('invalid-argument: create needs either a bundle or a spec');
    expect(r.unknownId).toBe('not-found: container does not exist: lib-pkg-none');
    for (const id of ['lib-pkg-b', 'lib-pkg-s', 'lib-pkg-m']) expect(leftovers(env, id)).toEqual([]);
  }, 180_000);
});
