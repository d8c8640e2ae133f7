// watchReadable(fd, onReadable): readiness of an fd on the event loop (uv_poll_t), for the
// non-blocking calls of seqpacket.h.
#pragma once

#include <napi.h>

namespace lxcri {

Napi::Value WatchReadable(const Napi::CallbackInfo& info);

}  // namespace lxcri
