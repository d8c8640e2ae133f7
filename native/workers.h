// Blocking liblxc calls run on the libuv thread pool.
#ifndef LXCRI_NATIVE_WORKERS_H_
#define LXCRI_NATIVE_WORKERS_H_

#include <napi.h>

#include <string>
#include <utility>

#include <lxc/lxccontainer.h>

namespace lxcri {

// Each function takes its own reference on `c` (lxc_container_get) that is
// dropped once the promise has settled, so the container outlives the call
// even if the JS side releases it meanwhile. Throws a JS error if the
// reference cannot be taken or the work cannot be queued.

// Takes a reference on `c` for a Worker(env, c, args...) that adopts it (and puts it
// when destroyed), queues the worker and returns its Promise(). `what` names the call
// in errors.
template <typename Worker, typename... Args>
Napi::Promise QueueWithRef(Napi::Env env, lxc_container* c, const char* what, Args&&... args) {
  if (lxc_container_get(c) != 1) {
    throw Napi::Error::New(env, std::string(what) + ": cannot take a reference on the container");
  }
  Worker* worker = nullptr;
  try {
    worker = new Worker(env, c, std::forward<Args>(args)...);
  } catch (...) {
    lxc_container_put(c);
    throw;
  }
  // From here on the worker owns the reference.
  try {
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  } catch (...) {
    delete worker;
    throw;
  }
}

// Resolves c->init_pid(c); -1 when the container is not running.
Napi::Promise QueueInitPid(Napi::Env env, lxc_container* c);

}  // namespace lxcri

#endif  // LXCRI_NATIVE_WORKERS_H_
