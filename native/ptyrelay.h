// Relaying a terminal: termRaw, termRestore, getWinsize, relayPty; and pidfdGetfd.
#pragma once

#include <napi.h>

namespace lxcri {

// Adds termRaw, termRestore, getWinsize, relayPty and pidfdGetfd to the module exports.
void DefinePtyRelay(Napi::Env env, Napi::Object exports);

}  // namespace lxcri
