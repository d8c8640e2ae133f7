// linux.sysctl → lxcri-hook writes each key in the container's /proc/sys, inside its
// namespaces, before read-only paths (liblxc's lxc.sysctl comes too late for that).
import { RuntimeError } from '../runtime/errors.js';
import type { HookInstruction } from './hookconf.js';

const KEY = /^[A-Za-z0-9_]+(?:[./][A-Za-z0-9_\-:]+)*$/;

export function sysctlInstructions(sysctl: Record<string, string>): HookInstruction[] {
  return Object.entries(sysctl).map(([key, value]): HookInstruction => {
    if (!KEY.test(key) || key.includes('..')) {
      throw new RuntimeError('invalid-spec', `invalid config.json: linux.sysctl: invalid key "${key}"`);
    }
    return { op: 'sysctl', key, value };
  });
}
