// process.apparmorProfile, process.selinuxLabel and linux.mountLabel: applied through
// liblxc when the host has that LSM, refused (never silently dropped) when it has not.
import { existsSync, readFileSync } from 'node:fs';
import { invalidSpec } from '../base/errors.js';
import type { Linux, Process } from '../spec/types.js';
import type { LxcConfig } from './config.js';

export interface LsmHost {
  apparmor: boolean;
  selinux: boolean;
}

export function probeLsm(): LsmHost {
  let apparmor = false;
  try {
    apparmor = readFileSync('/sys/module/apparmor/parameters/enabled', 'utf8').trim() === 'Y';
  } catch {
    /* no AppArmor module */
  }
  return { apparmor, selinux: existsSync('/sys/fs/selinux/enforce') };
}

export function applyLsm(cfg: LxcConfig, p: Process, linux: Linux, host: LsmHost): void {
  const profile = p.apparmorProfile;
  if (host.apparmor) {
    // Without a profile the container is unconfined, as with runc (liblxc would pick its own).
    cfg.set('lxc.apparmor.profile', profile || 'unconfined');
  } else if (profile && profile !== 'unconfined') {
    throw invalidSpec(`process.apparmorProfile "${profile}": AppArmor is not enabled on this host`);
  }
  for (const [field, label] of [['process.selinuxLabel', p.selinuxLabel], ['linux.mountLabel', linux.mountLabel]] as const) {
    if (label && !host.selinux) {
      throw invalidSpec(`${field} "${label}": SELinux is not enabled on this host`);
    }
  }
  if (p.selinuxLabel) cfg.set('lxc.selinux.context', p.selinuxLabel);
  if (linux.mountLabel) {
    throw invalidSpec('linux.mountLabel: liblxc cannot label mounts');
  }
}
