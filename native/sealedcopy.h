// A sealed in-memory copy of an executable, for `lxcri exec` to run in the container.
#pragma once

#include <napi.h>

namespace lxcri {

// Adds sealedCopy to the module exports.
void DefineSealedCopy(Napi::Env env, Napi::Object exports);

}  // namespace lxcri
