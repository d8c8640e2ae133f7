#include "container.h"

#include <climits>
#include <vector>

#include <lxc/lxccontainer.h>

#include "errors.h"
#include "workers.h"

namespace lxcri {
namespace {

// info[i] as a string without NUL bytes (they would silently truncate the C
// string handed to liblxc); throws TypeError otherwise.
std::string StringArg(const Napi::CallbackInfo& info, size_t i, const char* method,
                      const char* param) {
  Napi::Env env = info.Env();
  if (info.Length() <= i || !info[i].IsString()) {
    throw Napi::TypeError::New(env, std::string(method) + ": " + param + " must be a string");
  }
  std::string value = info[i].As<Napi::String>().Utf8Value();
  if (value.find('\0') != std::string::npos) {
    throw Napi::TypeError::New(env,
                               std::string(method) + ": " + param + " must not contain NUL");
  }
  return value;
}

}  // namespace

Napi::Function Container::Define(Napi::Env env) {
  return DefineClass(env, "Container",
                     {
                         InstanceMethod("release", &Container::Release),
                         InstanceMethod("clearConfig", &Container::ClearConfig),
                         InstanceMethod("saveConfig", &Container::SaveConfig),
                         InstanceMethod("setConfigItem", &Container::SetConfigItem),
                         InstanceMethod("initPid", &Container::InitPid),
                     });
}

Container::Container(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Container>(info) {
  Napi::Env env = info.Env();
  if (!info.IsConstructCall()) {
    throw Napi::TypeError::New(env, "Container must be called with new");
  }
  std::string name = StringArg(info, 0, "Container", "name");
  const std::string lxcpath = StringArg(info, 1, "Container", "lxcpath");
  LogScope scope;
  lxc_container* c = lxc_container_new(name.c_str(), lxcpath.c_str());
  if (c == nullptr) {
    throw ToJsError(env, scope.Fail("lxc_container_new " + name + " in " + lxcpath));
  }
  c_ = c;
  name_ = c->name != nullptr ? std::string(c->name) : name;
}

Container::~Container() {
  if (c_ != nullptr) {
    // Finalizer: nobody to report to; pending workers hold their own refs.
    lxc_container_put(c_);
    c_ = nullptr;
  }
}

lxc_container* Container::Handle(const Napi::Env& env, const char* what) const {
  if (c_ == nullptr) {
    throw Napi::Error::New(env, std::string(what) + " " + name_ + ": container released");
  }
  return c_;
}

Napi::Value Container::Release(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (c_ != nullptr) {
    lxc_container* c = c_;
    c_ = nullptr;
    if (lxc_container_put(c) < 0) {
      throw Napi::Error::New(env, "release " + name_ + ": lxc_container_put failed");
    }
  }
  return env.Undefined();
}

Napi::Value Container::ClearConfig(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  lxc_container* c = Handle(env, "clearConfig");
  c->clear_config(c);
  return env.Undefined();
}

Napi::Value Container::SaveConfig(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  lxc_container* c = Handle(env, "saveConfig");
  const std::string path = StringArg(info, 0, "saveConfig", "path");
  LogScope scope;
  if (!c->save_config(c, path.c_str())) {
    throw ToJsError(env, scope.Fail("saveConfig " + path, c->error_string));
  }
  return env.Undefined();
}

Napi::Value Container::SetConfigItem(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  lxc_container* c = Handle(env, "setConfigItem");
  const std::string key = StringArg(info, 0, "setConfigItem", "key");
  const std::string value = StringArg(info, 1, "setConfigItem", "value");
  LogScope scope;
  if (!c->set_config_item(c, key.c_str(), value.c_str())) {
    throw ToJsError(env, scope.Fail("setConfigItem " + key + "=" + value, c->error_string));
  }
  return env.Undefined();
}

Napi::Value Container::InitPid(const Napi::CallbackInfo& info) {
  return QueueInitPid(info.Env(), Handle(info.Env(), "initPid"));
}

}  // namespace lxcri
