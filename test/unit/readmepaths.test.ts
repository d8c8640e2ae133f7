// README's "How it works" names files so that a newcomer can follow a command by them:
// every tree path it names in backquotes must exist.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/lxcri.js';

describe('README', () => {
  it('names only files and directories that exist', () => {
    const text = readFileSync(join(REPO, 'README.md'), 'utf8');
    const paths = [...text.matchAll(/`((?:src|libexec|native|test|scripts|env)\/[\w./-]*)`/g)].map((m) => m[1]!.replace(/\/$/, ''));
    expect(paths.length).toBeGreaterThan(20);
    // <placeholders> and globs are not paths.
    const missing = paths.filter((p) => !/[<>*]/.test(p) && !existsSync(join(REPO, p)));
    expect(missing).toEqual([]);
  });
});
