// What `lxcri exec` needs besides liblxc's attach (which libexec/lxcri-attach does):
// a sealed in-memory copy of lxcri-init and the child subreaper switch.
#pragma once

#include <napi.h>

namespace lxcri {

Napi::Value SealedCopy(const Napi::CallbackInfo& info);
Napi::Value SealedData(const Napi::CallbackInfo& info);
Napi::Value ChildSubreaper(const Napi::CallbackInfo& info);

}  // namespace lxcri
