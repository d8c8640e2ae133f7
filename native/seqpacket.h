// The lxcri service socket (libexec/svcproto.h): an AF_UNIX SOCK_SEQPACKET listener, its
// connections, and messages with fds (SCM_RIGHTS), all non-blocking. Node's net module can
// neither do SEQPACKET nor pass fds. watchreadable.h tells the event loop when to call these.
#pragma once

#include <napi.h>

namespace lxcri {

Napi::Value SeqpacketListen(const Napi::CallbackInfo& info);
Napi::Value SeqpacketAccept(const Napi::CallbackInfo& info);
Napi::Value SeqpacketRecv(const Napi::CallbackInfo& info);
Napi::Value SeqpacketSend(const Napi::CallbackInfo& info);

}  // namespace lxcri
