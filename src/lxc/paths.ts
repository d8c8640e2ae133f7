// linux.maskedPaths and linux.readonlyPaths, applied by lxcri-hook after all mounts.
import type { HookInstruction } from './hookconf.js';

export function pathInstructions(masked: string[], readonly: string[]): HookInstruction[] {
  return [
    ...masked.map((path): HookInstruction => ({ op: 'mask', path })),
    ...readonly.map((path): HookInstruction => ({ op: 'ro', path })),
  ];
}
