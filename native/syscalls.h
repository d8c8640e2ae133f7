// System calls Node's standard library lacks.
#pragma once

#include <napi.h>

namespace lxcri {

// Adds mkfifo, nsType, setInheritable, reap, setRootPropagation and flock to the module exports.
void DefineSyscalls(Napi::Env env, Napi::Object exports);

}  // namespace lxcri
