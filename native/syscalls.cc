// System calls Node's standard library lacks: mkfifo for the create/start sync fifo.
#include "syscalls.h"

#include <cerrno>
#include <cstring>
#include <string>

#include <sys/stat.h>
#include <sys/types.h>

namespace lxcri {
namespace {

// mkfifo(path: string, mode: number): void — the mode is applied exactly (umask ignored).
void Mkfifo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsNumber()) {
    throw Napi::TypeError::New(env, "mkfifo: expected (path: string, mode: number)");
  }
  const std::string path = info[0].As<Napi::String>().Utf8Value();
  const mode_t mode = static_cast<mode_t>(info[1].As<Napi::Number>().Uint32Value() & 07777);
  if (path.find('\0') != std::string::npos) throw Napi::TypeError::New(env, "mkfifo: path contains a NUL byte");
  if (mkfifo(path.c_str(), mode) != 0 || chmod(path.c_str(), mode) != 0) {
    const int err = errno;
    Napi::Error e = Napi::Error::New(env, "mkfifo " + path + ": " + std::strerror(err));
    e.Set("errno", Napi::Number::New(env, err));
    throw e;
  }
}

}  // namespace

void DefineSyscalls(Napi::Env env, Napi::Object exports) {
  exports.Set("mkfifo", Napi::Function::New(env, Mkfifo, "mkfifo"));
}

}  // namespace lxcri
