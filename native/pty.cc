// Terminals for containers: a pseudo-terminal pair, its window size, and handing the
// master to a manager over a unix socket (SCM_RIGHTS), which Node's net module cannot do.
#include "pty.h"
#include "errors.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

namespace lxcri {

static int GetFd(const Napi::Env& env, const Napi::Value& v, const char* where) {
  if (!v.IsNumber()) throw Napi::TypeError::New(env, std::string(where) + ": fd must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= INT_MAX) || static_cast<double>(static_cast<int>(d)) != d) {
    throw Napi::TypeError::New(env, std::string(where) + ": fd must be a non-negative integer");
  }
  return static_cast<int>(d);
}

// openpty(): { master, slave, name } — both fds close-on-exec, neither made anyone's
// controlling terminal (O_NOCTTY).
// With a ptmx path (a container's devpts, e.g. /proc/PID/root/dev/pts/ptmx) the pair
// is made in that devpts instance and `name` is /dev/pts/N as the container sees it.
Napi::Value OpenPty(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string ptmx;
  if (info.Length() > 0 && !info[0].IsUndefined()) {
    if (!info[0].IsString()) throw Napi::TypeError::New(env, "openpty: ptmx must be a string");
    ptmx = info[0].As<Napi::String>().Utf8Value();
    if (ptmx.empty() || ptmx.find('\0') != std::string::npos) throw Napi::TypeError::New(env, "openpty: bad ptmx path");
  }
  const int master = ptmx.empty() ? posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC) : open(ptmx.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) throw SysError(env, ptmx.empty() ? std::string("posix_openpt") : "open " + ptmx, errno);
  // No grantpt/ptsname: glibc's would look the slave up in this process's /dev/pts.
  int err = 0;
  std::string what;
  int unlock = 0;
  unsigned int number = 0;
  if (ioctl(master, TIOCSPTLCK, &unlock) != 0) {
    err = errno;
    what = "unlock the pty (TIOCSPTLCK)";
  } else if (ioctl(master, TIOCGPTN, &number) != 0) {
    err = errno;
    what = "pty number (TIOCGPTN)";
  }
  if (err != 0) {
    close(master);
    throw SysError(env, what, err);
  }
  const std::string name = "/dev/pts/" + std::to_string(number);
  // TIOCGPTPEER opens the slave in the master's devpts, without a path lookup.
  int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0 && ptmx.empty() && (errno == EINVAL || errno == ENOTTY)) {
    slave = open(name.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  }
  if (slave < 0) {
    err = errno;
    close(master);
    throw SysError(env, "open the slave " + name, err);
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("master", Napi::Number::New(env, master));
  out.Set("slave", Napi::Number::New(env, slave));
  out.Set("name", Napi::String::New(env, name));
  return out;
}

// setWinsize(fd, rows, cols): TIOCSWINSZ.
Napi::Value SetWinsize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[1].IsNumber() || !info[2].IsNumber()) {
    throw Napi::TypeError::New(env, "setWinsize: expected (fd: number, rows: number, cols: number)");
  }
  const int fd = GetFd(env, info[0], "setWinsize");
  const double rows = info[1].As<Napi::Number>().DoubleValue();
  const double cols = info[2].As<Napi::Number>().DoubleValue();
  if (!(rows >= 0 && rows <= USHRT_MAX && cols >= 0 && cols <= USHRT_MAX)) {
    throw Napi::TypeError::New(env, "setWinsize: rows and cols must be from 0 to 65535");
  }
  struct winsize ws;
  std::memset(&ws, 0, sizeof(ws));
  ws.ws_row = static_cast<unsigned short>(rows);
  ws.ws_col = static_cast<unsigned short>(cols);
  if (ioctl(fd, TIOCSWINSZ, &ws) != 0) throw SysError(env, "TIOCSWINSZ", errno);
  return info.Env().Undefined();
}

// sendFd(socketPath, fd, payload): connect to a SOCK_STREAM unix socket and send one
// message: the payload bytes with exactly one fd attached (SCM_RIGHTS).
Napi::Value SendFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsString() || !info[2].IsString()) {
    throw Napi::TypeError::New(env, "sendFd: expected (socketPath: string, fd: number, payload: string)");
  }
  const std::string path = info[0].As<Napi::String>().Utf8Value();
  const int fd = GetFd(env, info[1], "sendFd");
  const std::string payload = info[2].As<Napi::String>().Utf8Value();
  struct sockaddr_un addr;
  std::memset(&addr, 0, sizeof(addr));
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.find('\0') != std::string::npos) {
    throw Napi::TypeError::New(env, "sendFd: socket path must be a non-empty string without NUL");
  }
  if (payload.empty()) throw Napi::TypeError::New(env, "sendFd: payload must not be empty");
  // A path past sun_path's 108 bytes is reached through /proc/self/fd/<dir fd>/<name>.
  std::string target = path;
  int dirFd = -1;
  const size_t slash = path.rfind('/');
  if (path.size() >= sizeof(addr.sun_path) && slash != std::string::npos) {
    dirFd = open(slash == 0 ? "/" : path.substr(0, slash).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dirFd < 0) throw SysError(env, "connect " + path, errno);
    target = "/proc/self/fd/" + std::to_string(dirFd) + "/" + path.substr(slash + 1);
  }
  if (target.size() >= sizeof(addr.sun_path)) {
    if (dirFd >= 0) close(dirFd);
    throw SysError(env, "connect " + path, ENAMETOOLONG);
  }
  std::memcpy(addr.sun_path, target.data(), target.size());

  const int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0) {
    const int err = errno;
    if (dirFd >= 0) close(dirFd);
    throw SysError(env, "socket", err);
  }
  int rc;
  do {
    rc = connect(sock, reinterpret_cast<const struct sockaddr*>(&addr), sizeof(addr));
  } while (rc != 0 && errno == EINTR);
  if (dirFd >= 0) {
    const int err = errno;
    close(dirFd);
    errno = err;
  }
  if (rc != 0) {
    const int err = errno;
    close(sock);
    throw SysError(env, "connect " + path, err);
  }

  std::string data = payload;
  struct iovec iov;
  iov.iov_base = data.data();
  iov.iov_len = data.size();
  union {
    struct cmsghdr align;
    char buf[CMSG_SPACE(sizeof(int))];
  } control;
  std::memset(&control, 0, sizeof(control));
  struct msghdr msg;
  std::memset(&msg, 0, sizeof(msg));
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof(control.buf);
  struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));

  ssize_t sent;
  do {
    sent = sendmsg(sock, &msg, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  const int err = errno;
  close(sock);
  if (sent < 0) throw SysError(env, "sendmsg " + path, err);
  // The fd travels with the first byte; a short write only loses part of the name.
  if (static_cast<size_t>(sent) != data.size()) {
    throw Napi::Error::New(env, "sendmsg " + path + ": short write");
  }
  return info.Env().Undefined();
}

}  // namespace lxcri
