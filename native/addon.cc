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
#include "seqpacket.h"
#include "syscalls.h"
#include "watchreadable.h"

namespace lxcri {
namespace {

// version(): string
Napi::Value Version(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* version = lxc_get_version();
  if (version == nullptr) throw Napi::Error::New(env, "version: lxc_get_version returned NULL");
  return Napi::String::New(env, version);
}

// Every export of the module, once (src/native.d.ts types them; test/unit/native.test.ts
// holds the two to the same names).
using Callback = Napi::Value (*)(const Napi::CallbackInfo&);
struct Export {
  const char* name;
  Callback fn;
};
constexpr Export kExports[] = {
    {"version", Version},
    // syscalls.cc: what Node's standard library lacks.
    {"mkfifo", Mkfifo},
    {"nsType", NsType},
    {"setInheritable", SetInheritable},
    {"reap", Reap},
    {"setRootPropagation", SetRootPropagation},
    {"flock", Flock},
    {"pipe", Pipe},
    // mountpoint.cc: the fd walk that makes mount points.
    {"openDirPath", OpenDirPath},
    {"mountPointStep", MountPointStep},
    // pty.cc: ptys and the console socket.
    {"openpty", OpenPty},
    {"setWinsize", SetWinsize},
    {"sendFd", SendFd},
    // ptyrelay.cc: relaying a pty to a terminal.
    {"termRaw", TermRaw},
    {"termRestore", TermRestore},
    {"getWinsize", GetWinsize},
    {"pidfdGetfd", PidfdGetfd},
    {"relayPty", RelayPty},
    // execsupport.cc: what exec and create need of the kernel.
    {"sealedCopy", SealedCopy},
    {"sealedData", SealedData},
    {"childSubreaper", ChildSubreaper},
    // seqpacket.cc, watchreadable.cc: the lxcri service socket (libexec/svcproto.h).
    {"seqpacketListen", SeqpacketListen},
    {"seqpacketAccept", SeqpacketAccept},
    {"seqpacketRecv", SeqpacketRecv},
    {"seqpacketSend", SeqpacketSend},
    {"watchReadable", WatchReadable},
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // Failure leaves capture off; errors then carry a generic reason.
  InitLogCapture();
  for (const Export& e : kExports) exports.Set(e.name, Napi::Function::New(env, e.fn, e.name));
  exports.Set("Container", Container::Define(env));
  return exports;
}

}  // namespace
}  // namespace lxcri

// NODE_API_MODULE pastes the name into an identifier, so it must be unqualified.
static Napi::Object InitLxcriNative(Napi::Env env, Napi::Object exports) {
  return lxcri::Init(env, exports);
}

NODE_API_MODULE(lxcri_native, InitLxcriNative)
