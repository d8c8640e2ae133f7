// watchReadable(fd, onReadable): { close, ref, unref }. A uv_poll_t on Node's loop calls
// onReadable whenever fd is readable (POLLHUP counts as readable; POLLERR calls it once
// more and libuv stops polling, so the caller's read sees the error).
//
// Lifetimes: the watch is owned by its uv handle (until uv_close's callback) and by each of
// the three functions handed out (until their finalizers); the last owner frees it. So the
// handle keeps working when JS drops the object, a close() from inside onReadable is safe
// (the handle is only closed by the loop later), and a close function kept past GC of its
// siblings still finds the watch. An env cleanup hook drops the JS references before the
// env goes (a worker exiting with the watch open).
#include "watchreadable.h"
#include "errors.h"

#include <climits>
#include <memory>
#include <string>

#include <uv.h>

namespace lxcri {
namespace {

struct Watch {
  uv_poll_t handle;
  napi_env env = nullptr;
  Napi::FunctionReference onReadable;
  std::unique_ptr<Napi::AsyncContext> context;
  bool closing = false;
  int owners = 0;
};

void Release(Watch* w) {
  if (--w->owners == 0) delete w;
}

// Drops what refers into the env; safe to call twice.
void DropJs(Watch* w) {
  w->onReadable.Reset();
  w->context.reset();
}

void OnClosed(uv_handle_t* handle) {
  Watch* w = static_cast<Watch*>(handle->data);
  DropJs(w);
  Release(w);
}

void Teardown(void* arg) {
  Watch* w = static_cast<Watch*>(arg);
  DropJs(w);
  if (!w->closing) {
    w->closing = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&w->handle), OnClosed);
  }
}

void Close(Watch* w) {
  if (w->closing) return;
  w->closing = true;
  napi_remove_env_cleanup_hook(w->env, Teardown, w);
  uv_close(reinterpret_cast<uv_handle_t*>(&w->handle), OnClosed);
}

void OnPoll(uv_poll_t* handle, int /*status*/, int /*events*/) {
  Watch* w = static_cast<Watch*>(handle->data);
  if (w->closing || w->onReadable.IsEmpty()) return;
  Napi::Env env(w->env);
  Napi::HandleScope scope(env);
  try {
    // MakeCallback: as Node's own handles, so microtasks and nextTicks run afterwards.
    w->onReadable.MakeCallback(env.Global(), {}, *w->context);
  } catch (const Napi::Error& e) {
    // No JS frame to throw into: the error goes where an uncaught one goes.
    napi_fatal_exception(w->env, e.Value());
  }
}

void FinalizeFunction(napi_env /*env*/, void* data, void* /*hint*/) {
  Release(static_cast<Watch*>(data));
}

Watch* WatchOf(const Napi::CallbackInfo& info) {
  return static_cast<Watch*>(info.Data());
}

Napi::Value CloseMethod(const Napi::CallbackInfo& info) {
  Close(WatchOf(info));
  return info.Env().Undefined();
}

Napi::Value RefMethod(const Napi::CallbackInfo& info) {
  Watch* w = WatchOf(info);
  if (!w->closing) uv_ref(reinterpret_cast<uv_handle_t*>(&w->handle));
  return info.Env().Undefined();
}

Napi::Value UnrefMethod(const Napi::CallbackInfo& info) {
  Watch* w = WatchOf(info);
  if (!w->closing) uv_unref(reinterpret_cast<uv_handle_t*>(&w->handle));
  return info.Env().Undefined();
}

}  // namespace

Napi::Value WatchReadable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsFunction()) {
    throw Napi::TypeError::New(env, "watchReadable: expected (fd: number, onReadable: () => void)");
  }
  const double d = info[0].As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= INT_MAX) || static_cast<double>(static_cast<int>(d)) != d) {
    throw Napi::TypeError::New(env, "watchReadable: fd must be a non-negative integer");
  }
  const int fd = static_cast<int>(d);
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
    throw Napi::Error::New(env, "watchReadable: no event loop");
  }

  // The JS references first: while the handle is not in the loop, a throw frees it all.
  std::unique_ptr<Watch> w(new Watch());
  w->env = env;
  w->onReadable = Napi::Persistent(info[1].As<Napi::Function>());
  w->context = std::make_unique<Napi::AsyncContext>(env, "lxcri.watchReadable");
  // Fails for an fd epoll cannot watch (a regular file: EPERM) or one libuv already watches.
  const int rc = uv_poll_init(loop, &w->handle, fd);
  if (rc != 0) throw SysError(env, "watchReadable: uv_poll_init fd " + std::to_string(fd), -rc);
  // From here the handle is in the loop: only uv_close's callback may free the watch.
  Watch* watch = w.release();
  watch->handle.data = watch;
  watch->owners = 1;
  if (napi_add_env_cleanup_hook(env, Teardown, watch) != napi_ok) {
    watch->closing = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&watch->handle), OnClosed);
    throw Napi::Error::New(env, "watchReadable: napi_add_env_cleanup_hook failed");
  }
  const int started = uv_poll_start(&watch->handle, UV_READABLE, OnPoll);
  if (started != 0) {
    Close(watch);
    throw SysError(env, "watchReadable: uv_poll_start fd " + std::to_string(fd), -started);
  }

  Napi::Object out = Napi::Object::New(env);
  const struct {
    const char* name;
    Napi::Value (*fn)(const Napi::CallbackInfo&);
  } methods[] = {{"close", CloseMethod}, {"ref", RefMethod}, {"unref", UnrefMethod}};
  for (const auto& m : methods) {
    Napi::Function f = Napi::Function::New(env, m.fn, m.name, watch);
    if (napi_add_finalizer(env, f, watch, FinalizeFunction, nullptr, nullptr) != napi_ok) {
      Close(watch);
      throw Napi::Error::New(env, "watchReadable: napi_add_finalizer failed");
    }
    ++watch->owners;
    out.Set(m.name, f);
  }
  return out;
}

}  // namespace lxcri
