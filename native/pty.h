// Terminals: openpty(), setWinsize(fd, rows, cols), sendFd(socketPath, fd, payload).
#pragma once

#include <napi.h>

namespace lxcri {

// Adds openpty, setWinsize and sendFd to the module exports.
void DefinePty(Napi::Env env, Napi::Object exports);

}  // namespace lxcri
