// podman's default seccomp profile (containers/common format, with includes/excludes) as
// the OCI linux.seccomp that podman would write for a container with these capabilities.
import { existsSync, readFileSync } from 'node:fs';

export const PODMAN_PROFILE = '/usr/share/containers/seccomp.json';

interface Cond {
  arches?: string[];
  caps?: string[];
}
interface SourceRule {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: unknown[] | null;
  includes?: Cond;
  excludes?: Cond;
}

export function podmanSeccomp(caps: string[]): Record<string, unknown> | undefined {
  if (!existsSync(PODMAN_PROFILE)) return undefined;
  const p = JSON.parse(readFileSync(PODMAN_PROFILE, 'utf8')) as { defaultAction: string; defaultErrnoRet?: number; syscalls: SourceRule[] };
  const applies = (r: SourceRule): boolean =>
    !(r.includes?.arches?.length && !r.includes.arches.includes('amd64')) &&
    !(r.includes?.caps?.length && !r.includes.caps.every((c) => caps.includes(c))) &&
    !r.excludes?.caps?.some((c) => caps.includes(c)) &&
    !r.excludes?.arches?.includes('amd64');
  return {
    defaultAction: p.defaultAction,
    defaultErrnoRet: p.defaultErrnoRet,
    architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
    syscalls: p.syscalls.filter(applies).map(({ names, action, errnoRet, args }) => ({ names, action, errnoRet, args: args ?? undefined })),
  };
}
