// Blocking liblxc calls run on the libuv thread pool.
#ifndef LXCRI_NATIVE_WORKERS_H_
#define LXCRI_NATIVE_WORKERS_H_

#include <napi.h>

struct lxc_container;

namespace lxcri {

// Each function takes its own reference on `c` (lxc_container_get) that is
// dropped once the promise has settled, so the container outlives the call
// even if the JS side releases it meanwhile. Throws a JS error if the
// reference cannot be taken or the work cannot be queued.

// Resolves c->state(c), e.g. "STOPPED" or "RUNNING".
Napi::Promise QueueState(Napi::Env env, lxc_container* c);

// Resolves c->init_pid(c); -1 when the container is not running.
Napi::Promise QueueInitPid(Napi::Env env, lxc_container* c);

}  // namespace lxcri

#endif  // LXCRI_NATIVE_WORKERS_H_
