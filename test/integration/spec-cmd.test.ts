// spec [--bundle DIR] [--rootless]: the config.json runc spec writes (same content but
// ociVersion and hostname), valid against the schema, never overwriting one, and a
// container runs from it with a busybox rootfs.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { busyboxRootfs, leftovers, type Result } from '../helpers/lxcri.js';
import { sideBySide } from '../helpers/runc.js';
import { validateSchema } from '../../src/spec/validate.js';
import { OCI_VERSION, type Spec } from '../../src/spec/types.js';

const { env, runc } = sideBySide();

function dir(name: string): string {
  const d = join(env.dir, name);
  mkdirSync(d, { recursive: true });
  return d;
}

const readSpec = (d: string): Spec => JSON.parse(readFileSync(join(d, 'config.json'), 'utf8')) as Spec;
/** What may differ from runc's: the version and the runtime's name as hostname. */
const comparable = (s: Spec): Spec => ({ ...s, ociVersion: '', hostname: '' });

function oneLine(r: Result, text: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(text);
}

/** The spec with a busybox rootfs (symlinked, as root.path "rootfs" is bundle-relative) and no terminal. */
function runnable(d: string, args: string[]): void {
  symlinkSync(busyboxRootfs(), join(d, 'rootfs'));
  const s = readSpec(d);
  s.process!.terminal = false;
  s.process!.args = args;
  writeFileSync(join(d, 'config.json'), JSON.stringify(s));
}

describe('spec', () => {
  for (const rootless of [false, true]) {
    const flags = rootless ? ['--rootless'] : [];
    const name = rootless ? 'cli-specr' : 'cli-spec';
    it(`${flags.join(' ') || 'default'}: as runc spec writes it, valid, and runs`, async () => {
      const mine = dir(`${name}-lxcri`);
      const theirs = dir(`${name}-runc`);
      const r = await env.run(['spec', '--bundle', mine, ...flags]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('');
      expect(r.code).toBe(0);
      expect((await runc.run(['spec', '--bundle', theirs, ...flags])).code).toBe(0);
      const spec = readSpec(mine);
      expect(spec.ociVersion).toBe(OCI_VERSION);
      expect(spec.process!.terminal).toBe(true);
      await validateSchema('config', spec, 'config.json');
      expect(comparable(spec)).toEqual(comparable(readSpec(theirs)));
      if (rootless) {
        expect(spec.linux!.uidMappings).toEqual([{ containerID: 0, hostID: process.geteuid!(), size: 1 }]);
        expect(spec.linux!.gidMappings).toEqual([{ containerID: 0, hostID: process.getegid!(), size: 1 }]);
        expect(spec.linux!.namespaces!.map((n) => n.type)).toContain('user');
        expect(spec.linux!.namespaces!.map((n) => n.type)).not.toContain('network');
      }

      // It runs: hostname, user namespace map, the cgroup view and the rlimit of the spec.
      runnable(mine, ['sh', '-c', 'hostname; cat /proc/self/uid_map; test -e /sys/fs/cgroup/cgroup.controllers && echo cgroup2; ulimit -n']);
      const run = await env.run(['run', '--bundle', mine, name]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const map = rootless ? `0 ${process.geteuid!()} 1` : '0 0 4294967295';
      expect(run.stdout.split('\n').map((l) => l.trim().replace(/\s+/g, ' '))).toEqual(['lxcri', map, 'cgroup2', '1024', '']);
      expect(leftovers(env, name)).toEqual([]);
    });
  }

  it('refuses to overwrite config.json, and a missing bundle, in one line', async () => {
    const d = dir('cli-spec-exists');
    writeFileSync(join(d, 'config.json'), 'mine');
    oneLine(await env.run(['spec', '--bundle', d]), /^lxcri: .*config\.json exists: remove it first$/m);
    expect(readFileSync(join(d, 'config.json'), 'utf8')).toBe('mine');
    const missing = join(env.dir, 'cli-spec-none');
    oneLine(await env.run(['spec', '-b', missing]), /^lxcri: bundle .*cli-spec-none: no such directory$/m);
    expect(existsSync(missing)).toBe(false);
    // runc refuses both as well.
    expect((await runc.run(['spec', '--bundle', d])).code).not.toBe(0);
    expect((await runc.run(['spec', '--bundle', missing])).code).not.toBe(0);
  });
});
