// linux.rootfsPropagation for the container's "/". liblxc 5.0.2 makes the new root shared
// (MS_SHARED|MS_REC, a peer group of its own) right after pivot_root, after every hook it
// runs, so the spec's value is set from the host once the init has reported, which it does
// after the pivot and before create returns: the process never sees liblxc's choice.
import { errorMessage, invalidSpec, RuntimeError } from '../base/errors.js';
import { lxc } from '../base/native.js';

/** The values the runtime-spec schema allows. */
const KINDS = ['shared', 'slave', 'private', 'unbindable'] as const;

export function applyRootPropagation(initPid: number, propagation: string | undefined): void {
  if (!propagation) return;
  const kind = KINDS.find((k) => k === propagation);
  if (!kind) throw invalidSpec(`linux.rootfsPropagation "${propagation}" is none of ${KINDS.join(', ')}`);
  try {
    lxc().setRootPropagation(initPid, kind);
  } catch (err) {
    throw new RuntimeError('system', `linux.rootfsPropagation ${propagation}: ${errorMessage(err)}`);
  }
}
