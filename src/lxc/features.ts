// Parts of the spec an operator may switch off (lxcri's feature switches, settings.ts):
// translate leaves out what is off.
export interface Features {
  apparmor: boolean;
  capabilities: boolean;
  cgroupDevices: boolean;
  seccomp: boolean;
}
