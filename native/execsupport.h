// What create and exec need of the kernel: sealed in-memory copies of lxcri-init and of
// the process record (sealedCopy, sealedData) and the child subreaper switch.
#pragma once

#include <napi.h>

namespace lxcri {

Napi::Value SealedCopy(const Napi::CallbackInfo& info);
Napi::Value SealedData(const Napi::CallbackInfo& info);
Napi::Value ChildSubreaper(const Napi::CallbackInfo& info);

}  // namespace lxcri
