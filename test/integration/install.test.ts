// `make install DESTDIR=...` installs everything INSTALL.md lists, never overwrites an
// operator's /etc/default/lxcri, and `make uninstall` removes all of it but that file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/lxcri.js';

const dest = mkdtempSync(join(tmpdir(), 'lxcri-pkg-install-'));
afterAll(() => rmSync(dest, { recursive: true, force: true }));

function make(target: string, ...vars: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('make', ['-s', '-C', REPO, target, `DESTDIR=${dest}`, 'PREFIX=/usr/local', ...vars], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under dir, relative to it. */
function files(dir: string, rel = ''): string[] {
  if (!existsSync(join(dir, rel))) return [];
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(dir, join(rel, e.name)) : [join(rel, e.name)],
  );
}

describe('make install and uninstall', () => {
  const operatorFile = join(dest, 'etc/default/lxcri');
  const operatorText = 'LXCRI_LOG_LEVEL=debug\n';

  it('keeps an existing /etc/default/lxcri and installs the rest', () => {
    mkdirSync(join(dest, 'etc/default'), { recursive: true });
    writeFileSync(operatorFile, operatorText, { mode: 0o600 });
    const r = make('install');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`kept the existing ${operatorFile}`);
    expect(readFileSync(operatorFile, 'utf8')).toBe(operatorText);
    expect(statSync(operatorFile).mode & 0o777).toBe(0o600);

    const usr = join(dest, 'usr/local');
    const installed = files(dest);
    for (const f of [
      'usr/local/bin/lxcri',
      'usr/local/lib/lxcri/lxcri.cjs',
      'usr/local/lib/lxcri/lxcri-main.cjs.cache',
      'usr/local/libexec/lxcri/lxcri-start',
      'usr/local/libexec/lxcri/lxcri-backup.sh',
      'usr/local/share/man/man8/lxcri.8',
      'usr/local/share/man/man8/lxcri-create.8',
      'usr/local/share/bash-completion/completions/lxcri',
      'usr/local/share/lxcri/examples/crio/10-lxcri.conf',
      'etc/logrotate.d/lxcri',
    ]) {
      expect(installed, f).toContain(f);
    }
    expect(statSync(join(usr, 'libexec/lxcri/lxcri-backup.sh')).mode & 0o111).toBe(0o111);
    // The example names the installed binary and is no file of CRI-O's own configuration.
    expect(readFileSync(join(usr, 'share/lxcri/examples/crio/10-lxcri.conf'), 'utf8')).toContain('runtime_path = "/usr/local/bin/lxcri"');
    expect(installed.some((f) => f.includes('crio.conf.d'))).toBe(false);
    expect(readFileSync(join(dest, 'etc/logrotate.d/lxcri'), 'utf8')).toMatch(/^\/var\/log\/lxcri\/lxcri\.log \{[^}]*copytruncate/m);
  });

  it('installs /etc/default/lxcri when absent, naming the installed backup hook', () => {
    rmSync(operatorFile);
    const r = make('install');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`installed ${operatorFile}`);
    const text = readFileSync(operatorFile, 'utf8');
    const hook = /^#LXCRI_CREATE_HOOK=(\S+)$/m.exec(text)?.[1];
    expect(hook).toBe('/usr/local/libexec/lxcri/lxcri-backup.sh');
    expect(existsSync(join(dest, hook!))).toBe(true);
    // Every setting is there, commented out: the file changes nothing until edited.
    expect(text.split('\n').filter((l) => /^LXCRI_/.test(l))).toEqual([]);
    expect(readdirSync(join(dest, 'etc/default'))).toEqual(['lxcri']);
  });

  it('uninstall removes everything but /etc/default/lxcri', () => {
    const r = make('uninstall');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(files(dest)).toEqual(['etc/default/lxcri']);
  });

  it('K8S.md shows the shipped CRI-O drop-in', () => {
    const doc = readFileSync(join(REPO, 'K8S.md'), 'utf8');
    const block = /```toml\n([\s\S]*?)```/.exec(doc)?.[1];
    const example = readFileSync(join(REPO, 'examples/crio/10-lxcri.conf'), 'utf8');
    expect(block).toBeDefined();
    // The file is the block plus a header comment.
    expect(example.slice(example.indexOf('[crio.runtime]'))).toBe(block);
  });
});
