// One step at a time through a rootfs, by fd: the primitives src/lxc/mountpoints.ts walks
// mount destinations with, so that no path string is ever resolved by the kernel there.
#pragma once

#include <napi.h>

namespace lxcri {

// Adds openDirPath and mountPointStep to the module exports.
void DefineMountPoint(Napi::Env env, Napi::Object exports);

}  // namespace lxcri
