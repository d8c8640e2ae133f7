// The hooks files the C helpers run hooks from (lxcri-hook: createContainer, lxcri-init:
// startContainer). One record per hook, every field NUL-terminated:
//   path, timeout (seconds, 0 = none), argc, args..., envc, env...
// Parsed by libexec/ocihook.c. argv is exactly the spec's args; without args just the path.
import type { Hook } from '../spec/types.js';

export function renderHookRecords(hooks: Hook[]): string {
  return hooks
    .flatMap((h) => {
      const args = h.args ?? [];
      const env = h.env ?? [];
      return [h.path, String(h.timeout ?? 0), String(args.length), ...args, String(env.length), ...env];
    })
    .map((f) => `${f}\0`)
    .join('');
}
