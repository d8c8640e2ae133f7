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
                         InstanceMethod("loadConfig", &Container::LoadConfig),
                         InstanceMethod("saveConfig", &Container::SaveConfig),
                         InstanceMethod("setConfigItem", &Container::SetConfigItem),
                         InstanceMethod("getConfigItem", &Container::GetConfigItem),
                         InstanceMethod("clearConfigItem", &Container::ClearConfigItem),
                         InstanceMethod("state", &Container::State),
                         InstanceMethod("initPid", &Container::InitPid),
                         InstanceAccessor("name", &Container::Name, nullptr),
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

Napi::Value Container::LoadConfig(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  lxc_container* c = Handle(env, "loadConfig");
  const std::string path = StringArg(info, 0, "loadConfig", "path");
  LogScope scope;
  if (!c->load_config(c, path.c_str())) {
    throw ToJsError(env, scope.Fail("loadConfig " + path, c->error_string));
  }
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

Napi::Value Container::GetConfigItem(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  lxc_container* c = Handle(env, "getConfigItem");
  const std::string key = StringArg(info, 0, "getConfigItem", "key");
  // Negative: unknown/invalid key; 0: unset (liblxc has no empty values).
  LogScope scope;
  int len = c->get_config_item(c, key.c_str(), nullptr, 0);
  // Bounded retry in case the value grows between the size query and the read.
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (len <= 0) return env.Null();
    if (len == INT_MAX) break;
    std::vector<char> buf(static_cast<size_t>(len) + 1, '\0');
    const int got = c->get_config_item(c, key.c_str(), buf.data(), len + 1);
    if (got < 0) {
      throw ToJsError(env, scope.Fail("getConfigItem " + key, c->error_string));
    }
    if (got <= len) {
      if (got == 0) return env.Null();
      return Napi::String::New(env, buf.data(), static_cast<size_t>(got));
    }
    len = got;
  }
  throw Napi::Error::New(env, "getConfigItem " + key + ": value size is not stable");
}

Napi::Value Container::ClearConfigItem(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  lxc_container* c = Handle(env, "clearConfigItem");
  const std::string key = StringArg(info, 0, "clearConfigItem", "key");
  LogScope scope;
  if (!c->clear_config_item(c, key.c_str())) {
    throw ToJsError(env, scope.Fail("clearConfigItem " + key, c->error_string));
  }
  return env.Undefined();
}

Napi::Value Container::State(const Napi::CallbackInfo& info) {
  return QueueState(info.Env(), Handle(info.Env(), "state"));
}

Napi::Value Container::InitPid(const Napi::CallbackInfo& info) {
  return QueueInitPid(info.Env(), Handle(info.Env(), "initPid"));
}

Napi::Value Container::Name(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), name_);
}

}  // namespace lxcri
