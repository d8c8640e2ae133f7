// What `lxcri exec` needs besides liblxc's attach (which libexec/lxcri-attach does):
// a sealed in-memory copy of lxcri-init and the child subreaper switch.
#pragma once

#include <napi.h>

namespace lxcri {

// Adds sealedCopy and childSubreaper to the module exports.
void DefineExecSupport(Napi::Env env, Napi::Object exports);

}  // namespace lxcri
