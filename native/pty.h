// Terminals: openpty(), setWinsize(fd, rows, cols), sendFd(socketPath, fd, payload).
#pragma once

#include <napi.h>

namespace lxcri {

Napi::Value OpenPty(const Napi::CallbackInfo& info);
Napi::Value SetWinsize(const Napi::CallbackInfo& info);
Napi::Value SendFd(const Napi::CallbackInfo& info);

}  // namespace lxcri
