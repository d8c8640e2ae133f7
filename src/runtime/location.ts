// Where lxcri's own files are, found from this module's location so that an installed
// lxcri needs no flags or environment: <prefix>/lib/lxcri/lxcri.cjs next to the addon,
// helpers in <prefix>/libexec/lxcri. The build tree and the sources work the same way.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (): string => dirname(fileURLToPath(import.meta.url));

function firstExisting(candidates: string[], probe: string): string | undefined {
  return candidates.find((dir) => existsSync(join(dir, probe)));
}

/** The directory holding lxcri-start, lxcri-init and lxcri-hook. */
export function defaultLibexecDir(): string {
  const d = here();
  const candidates = [
    resolve(d, '../../libexec/lxcri'), // installed: <prefix>/lib/lxcri → <prefix>/libexec/lxcri
    resolve(d, '../libexec'), // build tree bundle: dist/ → libexec/
    resolve(d, '../../libexec'), // sources: src/runtime/ → libexec/
    resolve(d, '../../../libexec'), // library build: dist/lib/runtime/ → libexec/
  ];
  return firstExisting(candidates, 'lxcri-start') ?? candidates[0]!;
}

/** The native addon file. */
export function nativeAddonPath(): string {
  const d = here();
  const name = 'lxcri_native.node';
  const candidates = [d, resolve(d, '../build/Release'), resolve(d, '../../build/Release'), resolve(d, '../../../build/Release')];
  const dir = firstExisting(candidates, name);
  return join(dir ?? d, name);
}
