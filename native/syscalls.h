// System calls Node's standard library lacks.
#pragma once

#include <napi.h>

namespace lxcri {

Napi::Value Mkfifo(const Napi::CallbackInfo& info);
Napi::Value NsType(const Napi::CallbackInfo& info);
Napi::Value SetInheritable(const Napi::CallbackInfo& info);
Napi::Value Reap(const Napi::CallbackInfo& info);
Napi::Value SetRootPropagation(const Napi::CallbackInfo& info);
Napi::Value Flock(const Napi::CallbackInfo& info);
Napi::Value Pipe(const Napi::CallbackInfo& info);

}  // namespace lxcri
