// Loads the liblxc addon on first use: only the commands that talk to liblxc pay for it.
import { createRequire } from 'node:module';
import type { NativeModule } from '../native.js';
import { nativeAddonPath } from './location.js';

let loaded: NativeModule | undefined;

export function lxc(): NativeModule {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    loaded = require(process.env.LXCRI_NATIVE || nativeAddonPath()) as NativeModule;
  }
  return loaded;
}
