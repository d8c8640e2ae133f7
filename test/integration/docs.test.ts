// The man pages and the bash completion say what --help says: every command has a page,
// every option a command's --help lists is on its page, groff renders each page without a
// warning, and the completion offers commands, options, choices and container IDs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Env, LAUNCHER, MAIN, REPO, makeBundle, runCmd, withArgs } from '../helpers/lxcri.js';

const prefix = process.env.LXCRI_TEST_PREFIX;
const BUILT_MAN = join(REPO, 'dist/doc/man');
const BUILT_COMPLETION = join(REPO, 'dist/doc/completion/lxcri');
const env = new Env();
afterAll(() => env.cleanup());

function help(...args: string[]): string {
  const r = spawnSync(LAUNCHER, [...args, '--help'], { env: { ...process.env, LXCRI_MAIN: MAIN }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`lxcri ${args.join(' ')} --help: ${r.stderr}`);
  return r.stdout;
}

/** Command names of `lxcri --help`. */
function helpCommands(): string[] {
  const text = help();
  const section = text.slice(text.indexOf('Commands:'), text.indexOf('Options:'));
  return [...section.matchAll(/^ {2}lxcri (\S+)/gm)].map((m) => m[1]!);
}

/** Every --long option an --help output lists. */
function helpOptions(text: string): string[] {
  return [...text.matchAll(/^ +(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]!);
}

/** A page as a reader sees it (plain text), and groff's warnings. */
function render(page: string): { text: string; warnings: string } {
  const r = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-P-c', '-P-b', '-P-u', '-P-o', page], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return { text: r.stdout, warnings: r.stderr };
}

const manDirs = [BUILT_MAN, ...(prefix ? [join(prefix, 'share/man/man8')] : [])];

describe.each(manDirs)('man pages in %s', (dir) => {
  it('one page per command of --help, and lxcri(8)', () => {
    const commands = helpCommands();
    expect(commands).toContain('create');
    const pages = readdirSync(dir).filter((f) => f.startsWith('lxcri')).sort();
    expect(pages).toEqual(['lxcri.8', ...commands.map((c) => `lxcri-${c}.8`)].sort());
  });

  it('each command page lists every option its --help lists, and renders without warnings', () => {
    for (const cmd of helpCommands()) {
      const { text, warnings } = render(join(dir, `lxcri-${cmd}.8`));
      expect(warnings, cmd).toBe('');
      expect(text).toMatch(new RegExp(`^NAME\\n +lxcri-${cmd} - `, 'm'));
      const options = helpOptions(help(cmd));
      expect(options.length).toBeGreaterThan(20); // the global options are listed too
      for (const o of options) expect(text, `lxcri-${cmd}(8) lacks ${o}`).toContain(o);
    }
  });

  it('lxcri(8) lists every command, global option and LXCRI_* variable', () => {
    const { text, warnings } = render(join(dir, 'lxcri.8'));
    expect(warnings).toBe('');
    for (const c of helpCommands()) expect(text).toContain(`lxcri-${c}(8)`);
    const top = help();
    for (const o of helpOptions(top)) expect(text, `lxcri(8) lacks ${o}`).toMatch(new RegExp(`^ +(-\\w, )?${o}\\b`, 'm'));
    for (const v of top.matchAll(/\[env (LXCRI_\w+)\]/g)) expect(text).toContain(v[1]!);
    expect(text).toContain('/etc/default/lxcri');
  });

  it('man -l shows a page', () => {
    const r = spawnSync('man', ['-l', join(dir, 'lxcri-kill.8')], { encoding: 'utf8', env: { ...process.env, MANPAGER: 'cat', MANWIDTH: '80' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--all');
  });
});

/** COMPREPLY of the completion for a command line whose last word is being typed. */
function complete(file: string, words: string[]): string[] {
  const script = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _lxcri; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', script, 'complete', file, ...words], { encoding: 'utf8', cwd: env.dir });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

describe('bash completion', () => {
  const file = prefix ? join(prefix, 'share/bash-completion/completions/lxcri') : BUILT_COMPLETION;

  it('offers every command of --help, then the options of the chosen one', () => {
    expect(existsSync(file)).toBe(true);
    expect(complete(file, ['lxcri', '']).sort()).toEqual(helpCommands().sort());
    expect(complete(file, ['lxcri', '--root', '/x', 'cr'])).toEqual(['create']);
    expect(complete(file, ['lxcri', 'create', '--b'])).toEqual(['--bundle']);
    expect(complete(file, ['lxcri', 'exec', '--det'])).toEqual(['--detach']);
    expect(complete(file, ['lxcri', '--ro'])).toEqual(['--root']);
    // Global options after the command too, as yargs accepts them.
    expect(complete(file, ['lxcri', 'state', '--log-l'])).toEqual(['--log-level']);
  });

  it('completes option values: choices, and nothing for a non-path value', () => {
    expect(complete(file, ['lxcri', 'list', '--format', '']).sort()).toEqual(['json', 'table']);
    expect(complete(file, ['lxcri', '--log-level', 'x', 'st'])).toEqual(['start', 'state']);
    expect(complete(file, ['lxcri', 'kill', 'c1', 'SIGKI'])).toEqual(['SIGKILL']);
  });

  it.skipIf(!prefix)('completes the IDs of the containers under the --root given', async () => {
    const bundle = makeBundle(env, 'b', withArgs('sleep', '30'));
    const lxcri = join(prefix!, 'bin/lxcri');
    const c = await runCmd(lxcri, [...env.globals(), 'create', '--bundle', bundle, 'pkg-compl-1']);
    expect(c.stderr).toBe('');
    expect(complete(file, [lxcri, '--root', env.root, 'delete', 'pkg-c'])).toEqual(['pkg-compl-1']);
    expect(complete(file, [lxcri, '--root', env.root, 'state', 'other'])).toEqual([]);
    // create and run name a new container.
    expect(complete(file, [lxcri, '--root', env.root, 'create', '--bundle', bundle, 'pkg-c'])).toEqual([]);
    expect((await runCmd(lxcri, [...env.globals(), 'delete', '--force', 'pkg-compl-1'])).code).toBe(0);
    expect(complete(file, [lxcri, '--root', env.root, 'delete', 'pkg-c'])).toEqual([]);
  });
});
