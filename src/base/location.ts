// Where lxcri's own files are, found from this module's location so that an installed
// lxcri needs no flags or environment: <prefix>/lib/lxcri/lxcri.cjs next to the addon,
// helpers in <prefix>/libexec/lxcri. The build tree, the sources and the npm package (its
// install script builds them into the package) work the same way; after those, the
// system's installed helpers (`make install`, a distribution package).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuntimeError } from './errors.js';

const here = (): string => dirname(fileURLToPath(import.meta.url));

/** The helpers create runs; each must be in the libexec directory. */
export const HELPERS = ['lxcri-start', 'lxcri-init', 'lxcri-hook', 'lxcri-attach'] as const;
export type Helper = (typeof HELPERS)[number];

const ADDON = 'lxcri_native.node';
const SYSTEM_PREFIXES = ['/usr/local', '/usr'];


/** Directories searched for the helpers, in order (README "As a library" documents it). */
export function libexecCandidates(): string[] {
  const d = here();
  return [
    resolve(d, '../../libexec/lxcri'), // installed: <prefix>/lib/lxcri → <prefix>/libexec/lxcri
    resolve(d, '../libexec'), // build tree bundle: dist/ → libexec/
    resolve(d, '../../libexec'), // sources: src/base/ → libexec/
    resolve(d, '../../../libexec'), // library build and npm package: dist/lib/base/ → libexec/
    ...SYSTEM_PREFIXES.map((p) => `${p}/libexec/lxcri`),
  ];
}

/** The first directory holding all of lxcri-start, lxcri-init, lxcri-hook and lxcri-attach. */
export function defaultLibexecDir(): string {
  const candidates = libexecCandidates();
  return candidates.find((dir) => HELPERS.every((h) => existsSync(join(dir, h)))) ?? candidates[0]!;
}

/**
 * The path of a helper in `libexecDir`; a missing one is a RuntimeError naming it and
 * where it was looked for (every candidate when the directory is the default).
 */
export function helperPath(libexecDir: string, name: Helper): string {
  const path = join(libexecDir, name);
  if (existsSync(path)) return path;
  const looked = libexecDir === defaultLibexecDir() ? [...new Set([libexecDir, ...libexecCandidates()])] : [libexecDir];
  throw new RuntimeError('system', `${name} not found (looked in ${looked.join(', ')})`);
}

/** Candidate paths of the native addon, in order. */
export function nativeAddonCandidates(): string[] {
  const d = here();
  const dirs = [
    d,
    resolve(d, '../build/Release'),
    resolve(d, '../../build/Release'),
    resolve(d, '../../../build/Release'), // npm package: dist/lib/base/ → build/Release
    ...SYSTEM_PREFIXES.map((p) => `${p}/lib/lxcri`),
  ];
  return dirs.map((dir) => join(dir, ADDON));
}

/** The native addon file (the first candidate when none exists, for the error message). */
export function nativeAddonPath(): string {
  const all = nativeAddonCandidates();
  return all.find((f) => existsSync(f)) ?? all[0]!;
}
