// Loads the liblxc addon on first use: only the commands that talk to liblxc pay for it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { NativeModule } from '../native.js';
import { errorMessage, RuntimeError } from './errors.js';
import { nativeAddonCandidates, nativeAddonPath } from './location.js';

let loaded: NativeModule | undefined;

export function lxc(): NativeModule {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    const file = process.env.LXCRI_NATIVE || nativeAddonPath();
    if (!existsSync(file)) {
      const looked = process.env.LXCRI_NATIVE ? [file] : nativeAddonCandidates();
      throw new RuntimeError('system', `lxcri_native.node not found (looked in ${looked.join(', ')})`);
    }
    try {
      loaded = require(file) as NativeModule;
    } catch (err) {
      throw new RuntimeError('system', `cannot load ${file}: ${errorMessage(err)}`);
    }
  }
  return loaded;
}
