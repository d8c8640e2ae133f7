// AF_UNIX SOCK_SEQPACKET for the lxcri service: listen, accept with the peer's
// credentials, one message in, one message out, fds attached as SCM_RIGHTS.
#include "seqpacket.h"
#include "errors.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace lxcri {
namespace {

// The kernel's limit of fds in one message (SCM_MAX_FD).
constexpr int kMaxFds = 253;
// Above any message the service takes; guards the allocation a bad argument would ask for.
constexpr int kMaxBytes = 64 * 1024 * 1024;

int IntArg(const Napi::Env& env, const Napi::Value& v, const char* where, const char* what, long long max) {
  if (!v.IsNumber()) throw Napi::TypeError::New(env, std::string(where) + ": " + what + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= static_cast<double>(max)) || static_cast<double>(static_cast<long long>(d)) != d) {
    throw Napi::TypeError::New(env, std::string(where) + ": " + what + " must be an integer from 0 to " +
                                        std::to_string(max));
  }
  return static_cast<int>(d);
}

int FdArg(const Napi::Env& env, const Napi::Value& v, const char* where) {
  return IntArg(env, v, where, "fd", INT_MAX);
}

// Received fds that nobody else knows of; close cannot fail in a way worth reporting.
void CloseAll(const std::vector<int>& fds) {
  for (int fd : fds) close(fd);
}

long long NowMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// The address to bind `path` at: the path itself, or, past sun_path's length,
// /proc/self/fd/<dirFd>/<name> with dirFd an O_PATH fd of its directory (the caller closes it).
// Returns 0 or an errno.
int AddressOf(const std::string& path, struct sockaddr_un* addr, int* dirFd) {
  std::memset(addr, 0, sizeof(*addr));
  addr->sun_family = AF_UNIX;
  *dirFd = -1;
  std::string target = path;
  const size_t slash = path.rfind('/');
  if (path.size() >= sizeof(addr->sun_path) && slash != std::string::npos) {
    const std::string dir = slash == 0 ? std::string("/") : path.substr(0, slash);
    *dirFd = open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (*dirFd < 0) return errno;
    target = "/proc/self/fd/" + std::to_string(*dirFd) + "/" + path.substr(slash + 1);
  }
  if (target.size() >= sizeof(addr->sun_path)) return ENAMETOOLONG;
  std::memcpy(addr->sun_path, target.data(), target.size());
  return 0;
}

}  // namespace

// seqpacketListen(path, mode): the listening fd. The socket is bound, chmodded, and only
// then listening, so nobody connects while its mode is still the umask's.
Napi::Value SeqpacketListen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString()) {
    throw Napi::TypeError::New(env, "seqpacketListen: expected (path: string, mode: number)");
  }
  const std::string path = info[0].As<Napi::String>().Utf8Value();
  if (path.empty() || path.find('\0') != std::string::npos) {
    throw Napi::TypeError::New(env, "seqpacketListen: path must be a non-empty string without NUL");
  }
  const mode_t mode = static_cast<mode_t>(IntArg(env, info[1], "seqpacketListen", "mode", 07777));

  struct sockaddr_un addr;
  int dirFd = -1;
  int err = AddressOf(path, &addr, &dirFd);
  if (err != 0) {
    if (dirFd >= 0) close(dirFd);
    throw SysError(env, "listen on " + path, err);
  }
  std::string what;
  bool bound = false;
  const int sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (sock < 0) {
    err = errno;
    what = "socket";
  } else if (bind(sock, reinterpret_cast<const struct sockaddr*>(&addr), sizeof(addr)) != 0) {
    err = errno;
    what = "bind " + path;
  } else {
    bound = true;
    if (chmod(addr.sun_path, mode) != 0) {
      err = errno;
      what = "chmod " + path;
    } else if (listen(sock, 128) != 0) {
      err = errno;
      what = "listen on " + path;
    }
  }
  if (err != 0) {
    // Nothing left behind: the socket file this call made goes with it.
    if (bound) unlink(addr.sun_path);
    if (sock >= 0) close(sock);
  }
  if (dirFd >= 0) close(dirFd);
  if (err != 0) throw SysError(env, what, err);
  return Napi::Number::New(env, sock);
}

// seqpacketAccept(fd): { fd, pid, uid, gid } of the next connection, or null when none waits.
Napi::Value SeqpacketAccept(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int fd = FdArg(env, info[0], "seqpacketAccept");
  int conn;
  do {
    conn = accept4(fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    // ECONNABORTED: that peer is gone already; the next may be waiting.
  } while (conn < 0 && (errno == EINTR || errno == ECONNABORTED));
  if (conn < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return env.Null();
    throw SysError(env, "accept", errno);
  }
  struct ucred cred;
  socklen_t len = sizeof(cred);
  if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    const int err = errno;
    close(conn);
    throw SysError(env, "SO_PEERCRED", err);
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("fd", Napi::Number::New(env, conn));
  out.Set("pid", Napi::Number::New(env, cred.pid));
  out.Set("uid", Napi::Number::New(env, cred.uid));
  out.Set("gid", Napi::Number::New(env, cred.gid));
  return out;
}

// seqpacketRecv(fd, maxBytes, maxFds): { data, fds } of one message, null when none waits.
Napi::Value SeqpacketRecv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int fd = FdArg(env, info[0], "seqpacketRecv");
  const int maxBytes = IntArg(env, info[1], "seqpacketRecv", "maxBytes", kMaxBytes);
  const int maxFds = IntArg(env, info[2], "seqpacketRecv", "maxFds", kMaxFds);

  std::vector<char> data(static_cast<size_t>(maxBytes));
  // Room for one fd more than allowed, so that "too many" arrives as a count, not only
  // as MSG_CTRUNC (both are refused).
  std::vector<char> control(CMSG_SPACE(sizeof(int) * static_cast<size_t>(maxFds + 1)));
  struct iovec iov;
  iov.iov_base = data.data();
  iov.iov_len = data.size();
  struct msghdr msg;
  std::memset(&msg, 0, sizeof(msg));
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.data();
  msg.msg_controllen = control.size();
  ssize_t n;
  do {
    n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return env.Null();
    throw SysError(env, "recvmsg", errno);
  }
  std::vector<int> fds;
  bool foreign = false;
  for (struct cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
      foreign = true;
      continue;
    }
    const size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; ++i) {
      int got;
      std::memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
      fds.push_back(got);
    }
  }
  std::string refused;
  if (msg.msg_flags & MSG_TRUNC) {
    refused = "message longer than " + std::to_string(maxBytes) + " bytes";
  } else if ((msg.msg_flags & MSG_CTRUNC) || fds.size() > static_cast<size_t>(maxFds)) {
    refused = "message with more than " + std::to_string(maxFds) + " fds";
  } else if (foreign) {
    refused = "message with control data other than fds";
  }
  if (!refused.empty()) {
    CloseAll(fds);
    throw SysError(env, "recvmsg: " + refused, EMSGSIZE);
  }
  Napi::Array fdArray = Napi::Array::New(env, fds.size());
  for (size_t i = 0; i < fds.size(); ++i) fdArray.Set(static_cast<uint32_t>(i), Napi::Number::New(env, fds[i]));
  Napi::Object out = Napi::Object::New(env);
  out.Set("data", Napi::Buffer<char>::Copy(env, data.data(), static_cast<size_t>(n)));
  out.Set("fds", fdArray);
  return out;
}

// seqpacketSend(fd, data, fds, timeoutMs): one message; waits for room at most timeoutMs.
Napi::Value SeqpacketSend(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int fd = FdArg(env, info[0], "seqpacketSend");
  if (info.Length() < 4 || !info[1].IsBuffer() || !info[2].IsArray()) {
    throw Napi::TypeError::New(env, "seqpacketSend: expected (fd: number, data: Buffer, fds: number[], timeoutMs: number)");
  }
  Napi::Buffer<char> data = info[1].As<Napi::Buffer<char>>();
  Napi::Array fdArray = info[2].As<Napi::Array>();
  const int timeoutMs = IntArg(env, info[3], "seqpacketSend", "timeoutMs", INT_MAX);
  if (fdArray.Length() > static_cast<uint32_t>(kMaxFds)) {
    throw Napi::TypeError::New(env, "seqpacketSend: at most " + std::to_string(kMaxFds) + " fds");
  }
  std::vector<int> fds;
  for (uint32_t i = 0; i < fdArray.Length(); ++i) fds.push_back(FdArg(env, fdArray.Get(i), "seqpacketSend"));

  struct iovec iov;
  iov.iov_base = data.Data();
  iov.iov_len = data.Length();
  struct msghdr msg;
  std::memset(&msg, 0, sizeof(msg));
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  std::vector<char> control;
  if (!fds.empty()) {
    control.assign(CMSG_SPACE(sizeof(int) * fds.size()), 0);
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
    std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
  }
  const long long deadline = NowMs() + timeoutMs;
  for (;;) {
    const ssize_t n = sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) {
      // A SEQPACKET message goes whole or not at all; anything else is a kernel surprise.
      if (static_cast<size_t>(n) != data.Length()) throw Napi::Error::New(env, "sendmsg: short write");
      return env.Undefined();
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) throw SysError(env, "sendmsg", errno);
    const long long left = deadline - NowMs();
    if (left <= 0) throw SysError(env, "sendmsg: no room within " + std::to_string(timeoutMs) + " ms", ETIMEDOUT);
    struct pollfd p;
    p.fd = fd;
    p.events = POLLOUT;
    p.revents = 0;
    // POLLERR/POLLHUP end the wait too: the next sendmsg reports them.
    if (poll(&p, 1, static_cast<int>(left)) < 0 && errno != EINTR) throw SysError(env, "poll", errno);
  }
}

}  // namespace lxcri
