// linux.sysctl → lxcri-hook writes each key in the container's /proc/sys, inside its
// namespaces, before read-only paths (liblxc's lxc.sysctl comes too late for that).
// Which keys are allowed at all is checked with the bundle (src/spec/sysctl.ts).
import { sysctlParts } from '../spec/sysctl.js';
import type { HookInstruction } from './hookconf.js';

export function sysctlInstructions(sysctl: Record<string, string>): HookInstruction[] {
  return Object.entries(sysctl).map(([key, value]): HookInstruction => {
    sysctlParts(key);
    return { op: 'sysctl', key, value };
  });
}
