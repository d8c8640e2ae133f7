#include "workers.h"

#include <sys/types.h>

#include <exception>
#include <string>
#include <utility>

#include <lxc/lxccontainer.h>

#include "errors.h"

namespace lxcri {
namespace {

// Owns one reference on the container and a promise. Subclasses implement
// Execute() (worker thread) and Resolve() (JS thread).
class ContainerWorker : public Napi::AsyncWorker {
 public:
  ~ContainerWorker() override {
    // A return of 1 means this was the last reference and c_ is now freed;
    // -1 cannot happen for a reference we hold. Nothing to do either way.
    lxc_container_put(c_);
  }

  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  // Adopts a reference the caller already took on `c`.
  ContainerWorker(Napi::Env env, const char* resource, lxc_container* c)
      : Napi::AsyncWorker(env, resource), deferred_(Napi::Promise::Deferred::New(env)), c_(c) {}

  lxc_container* container() const { return c_; }

  // Worker thread: records a liblxc failure.
  void Fail(Failure failure) {
    failure_ = std::move(failure);
    SetError(failure_.message);
  }

  // JS thread: fulfils the promise.
  virtual Napi::Value Result(Napi::Env env) = 0;

  void OnOK() override {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    deferred_.Resolve(Result(env));
  }

  void OnError(const Napi::Error& error) override {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    if (failure_.message.empty()) {
      deferred_.Reject(error.Value());
    } else {
      deferred_.Reject(ToJsError(env, failure_).Value());
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  lxc_container* const c_;
  Failure failure_;
};

class InitPidWorker : public ContainerWorker {
 public:
  InitPidWorker(Napi::Env env, lxc_container* c) : ContainerWorker(env, "lxcri:initPid", c) {}

 protected:
  void Execute() override {
    // init_pid has no error return distinct from "not running" (-1), so
    // there is nothing to capture.
    lxc_container* c = container();
    pid_ = c->init_pid(c);
  }

  Napi::Value Result(Napi::Env env) override {
    return Napi::Number::New(env, static_cast<double>(pid_));
  }

 private:
  pid_t pid_ = -1;
};

}  // namespace

Napi::Promise QueueInitPid(Napi::Env env, lxc_container* c) {
  return QueueWithRef<InitPidWorker>(env, c, "initPid");
}

}  // namespace lxcri
