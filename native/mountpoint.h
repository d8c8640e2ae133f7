// One step at a time through a rootfs, by fd: the primitives src/lxc/mountpoints.ts walks
// mount destinations with, so that no path string is ever resolved by the kernel there.
#pragma once

#include <napi.h>

namespace lxcri {

Napi::Value OpenDirPath(const Napi::CallbackInfo& info);
Napi::Value MountPointStep(const Napi::CallbackInfo& info);

}  // namespace lxcri
