#include "attach.h"

#include <sys/types.h>

#include <cmath>
#include <exception>
#include <memory>
#include <string>
#include <utility>

#include <lxc/lxccontainer.h>

#include "container.h"
#include "errors.h"
#include "workers.h"

namespace lxcri {
namespace {

std::string Where(const char* method, const char* field) {
  return std::string(method) + ": options." + field;
}

std::string GetString(const Napi::Env& env, const Napi::Value& v, const std::string& where) {
  if (!v.IsString()) throw Napi::TypeError::New(env, where + " must be a string");
  std::string s = v.As<Napi::String>().Utf8Value();
  if (s.find('\0') != std::string::npos) throw Napi::TypeError::New(env, where + " must not contain NUL");
  return s;
}

std::vector<std::string> GetStrings(const Napi::Env& env, const Napi::Value& v, const std::string& where) {
  if (!v.IsArray()) throw Napi::TypeError::New(env, where + " must be an array of strings");
  const Napi::Array a = v.As<Napi::Array>();
  std::vector<std::string> out;
  out.reserve(a.Length());
  for (uint32_t i = 0; i < a.Length(); ++i) {
    out.push_back(GetString(env, a.Get(i), where + "[" + std::to_string(i) + "]"));
  }
  return out;
}

// A non-negative integer no larger than `max`.
double GetInteger(const Napi::Env& env, const Napi::Value& v, const std::string& where, double max) {
  if (!v.IsNumber()) throw Napi::TypeError::New(env, where + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d < 0 || d > max || std::floor(d) != d) {
    throw Napi::TypeError::New(env, where + " must be an integer from 0 to " + std::to_string(static_cast<long long>(max)));
  }
  return d;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

AttachRequest::AttachRequest(const Napi::Env& env, const Napi::Value& value, const char* method) {
  if (!value.IsObject()) throw Napi::TypeError::New(env, std::string(method) + ": options must be an object");
  const Napi::Object o = value.As<Napi::Object>();
  argv_ = GetStrings(env, o.Get("argv"), Where(method, "argv"));
  if (argv_.empty()) throw Napi::TypeError::New(env, Where(method, "argv") + " must not be empty");
  env_ = GetStrings(env, o.Get("env"), Where(method, "env"));
  const Napi::Value cwd = o.Get("cwd");
  const bool hasCwd = !cwd.IsUndefined();
  if (hasCwd) cwd_ = GetString(env, cwd, Where(method, "cwd"));
  // uid_t/gid_t -1 means "liblxc's default"; only explicit IDs are accepted here.
  const double uid = GetInteger(env, o.Get("uid"), Where(method, "uid"), 4294967294.0);
  const double gid = GetInteger(env, o.Get("gid"), Where(method, "gid"), 4294967294.0);
  const double in = GetInteger(env, o.Get("stdin"), Where(method, "stdin"), 2147483647.0);
  const double out = GetInteger(env, o.Get("stdout"), Where(method, "stdout"), 2147483647.0);
  const double err = GetInteger(env, o.Get("stderr"), Where(method, "stderr"), 2147483647.0);
  const Napi::Value nnp = o.Get("noNewPrivileges");
  const Napi::Value drop = o.Get("dropCapabilities");
  if (!drop.IsUndefined() && !drop.IsBoolean()) {
    throw Napi::TypeError::New(env, Where(method, "dropCapabilities") + " must be a boolean");
  }
  if (!nnp.IsUndefined() && !nnp.IsBoolean()) {
    throw Napi::TypeError::New(env, Where(method, "noNewPrivileges") + " must be a boolean");
  }
  argv_ptrs_ = Pointers(argv_);
  env_ptrs_ = Pointers(env_);

  options_ = LXC_ATTACH_OPTIONS_DEFAULT;
  // OR-ed onto the defaults (cgroup, capability drop to the container's bounding set,
  // personality, LSM): never masked (go-lxc's `&=` cleared them all).
  options_.attach_flags = LXC_ATTACH_DEFAULT;
  if (!nnp.IsUndefined() && nnp.As<Napi::Boolean>().Value()) options_.attach_flags |= LXC_ATTACH_NO_NEW_PRIVS;
  // liblxc drops the bounding set to the container init's *current* one (CapBnd in
  // /proc/<init>/status), which no longer has what lxcri-init needs to take an identity.
  if (!drop.IsUndefined() && !drop.As<Napi::Boolean>().Value()) {
    options_.attach_flags &= ~LXC_ATTACH_DROP_CAPABILITIES;
  }
  options_.namespaces = -1;  // every namespace the container has
  options_.personality = LXC_ATTACH_DETECT_PERSONALITY;
  options_.initial_cwd = hasCwd ? cwd_.data() : nullptr;
  options_.uid = static_cast<uid_t>(uid);
  options_.gid = static_cast<gid_t>(gid);
  options_.env_policy = LXC_ATTACH_CLEAR_ENV;
  options_.extra_env_vars = env_ptrs_.data();
  options_.extra_keep_env = nullptr;
  options_.stdin_fd = static_cast<int>(in);
  options_.stdout_fd = static_cast<int>(out);
  options_.stderr_fd = static_cast<int>(err);
  command_.program = argv_ptrs_.front();
  command_.argv = argv_ptrs_.data();
}

namespace {

class AttachRunWaitWorker : public Napi::AsyncWorker {
 public:
  // Adopts a reference the caller took on `c`.
  AttachRunWaitWorker(Napi::Env env, lxc_container* c, std::unique_ptr<AttachRequest> req)
      : Napi::AsyncWorker(env, "lxcri:attachRunWait"),
        deferred_(Napi::Promise::Deferred::New(env)),
        c_(c),
        req_(std::move(req)) {}

  ~AttachRunWaitWorker() override { lxc_container_put(c_); }

  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      LogScope scope;
      const int status = c_->attach_run_wait(c_, req_->options(), req_->program().c_str(), req_->argv());
      // A wait status is never -1; liblxc returns -1 when the attach itself failed.
      if (status < 0) {
        failure_ = scope.Fail("attach to " + std::string(c_->name), c_->error_string);
        SetError(failure_.message);
        return;
      }
      status_ = status;
    } catch (const std::exception& e) {
      SetError(std::string("attachRunWait: ") + e.what());
    } catch (...) {
      SetError("attachRunWait: unexpected failure");
    }
  }

  void OnOK() override {
    Napi::HandleScope scope(Env());
    deferred_.Resolve(Napi::Number::New(Env(), status_));
  }

  void OnError(const Napi::Error& error) override {
    Napi::HandleScope scope(Env());
    if (failure_.message.empty()) {
      deferred_.Reject(error.Value());
    } else {
      deferred_.Reject(ToJsError(Env(), failure_).Value());
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  lxc_container* const c_;
  std::unique_ptr<AttachRequest> req_;
  Failure failure_;
  int status_ = 0;
};

}  // namespace

Napi::Promise QueueAttachRunWait(Napi::Env env, lxc_container* c, const Napi::Value& opts) {
  auto req = std::make_unique<AttachRequest>(env, opts, "attachRunWait");
  return QueueWithRef<AttachRunWaitWorker>(env, c, "attachRunWait", std::move(req));
}

Napi::Value Container::Attach(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  lxc_container* c = Handle(env, "attach");
  AttachRequest req(env, info.Length() > 0 ? info[0] : env.Undefined(), "attach");
  pid_t pid = -1;
  LogScope scope;
  // lxc_attach_run_command execvp()s command.program with command.argv.
  const int ret = c->attach(c, lxc_attach_run_command, req.command(), req.options(), &pid);
  if (ret < 0 || pid <= 0) {
    throw ToJsError(env, scope.Fail("attach to " + name_, c->error_string));
  }
  return Napi::Number::New(env, static_cast<double>(pid));
}

Napi::Value Container::AttachRunWait(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return QueueAttachRunWait(env, Handle(env, "attachRunWait"), info.Length() > 0 ? info[0] : env.Undefined());
}

}  // namespace lxcri
