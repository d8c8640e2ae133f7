// Module init: liblxc log capture, free functions, the Container class.
#include <napi.h>

#include <string>

#include <lxc/lxccontainer.h>

#include "container.h"
#include "errors.h"
#include "mountpoint.h"
#include "pty.h"
#include "ptyrelay.h"
#include "execsupport.h"
#include "syscalls.h"

namespace lxcri {
namespace {

// version(): string
Napi::Value Version(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* version = lxc_get_version();
  if (version == nullptr) throw Napi::Error::New(env, "version: lxc_get_version returned NULL");
  return Napi::String::New(env, version);
}

// configItemSupported(key: string): boolean
Napi::Value ConfigItemSupported(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) {
    throw Napi::TypeError::New(env, "configItemSupported: key must be a string");
  }
  const std::string key = info[0].As<Napi::String>().Utf8Value();
  if (key.find('\0') != std::string::npos) return Napi::Boolean::New(env, false);
  return Napi::Boolean::New(env, lxc_config_item_is_supported(key.c_str()));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // Failure leaves capture off; errors then carry a generic reason.
  InitLogCapture();
  exports.Set("version", Napi::Function::New(env, Version, "version"));
  exports.Set("configItemSupported",
              Napi::Function::New(env, ConfigItemSupported, "configItemSupported"));
  exports.Set("Container", Container::Define(env));
  DefineSyscalls(env, exports);
  DefineMountPoint(env, exports);
  DefinePty(env, exports);
  DefinePtyRelay(env, exports);
  DefineExecSupport(env, exports);
  return exports;
}

}  // namespace
}  // namespace lxcri

// NODE_API_MODULE pastes the name into an identifier, so it must be unqualified.
static Napi::Object InitLxcriNative(Napi::Env env, Napi::Object exports) {
  return lxcri::Init(env, exports);
}

NODE_API_MODULE(lxcri_native, InitLxcriNative)
