// Relaying a terminal: termRaw, termRestore, getWinsize, relayPty; and pidfdGetfd.
#pragma once

#include <napi.h>

namespace lxcri {

Napi::Value TermRaw(const Napi::CallbackInfo& info);
Napi::Value TermRestore(const Napi::CallbackInfo& info);
Napi::Value GetWinsize(const Napi::CallbackInfo& info);
Napi::Value PidfdGetfd(const Napi::CallbackInfo& info);
Napi::Value RelayPty(const Napi::CallbackInfo& info);

}  // namespace lxcri
