// Relaying a terminal: lxcri's own terminal (raw mode, window size) and a copy loop
// between it and a pty master, for `exec -t` and `run` without a console socket (runc
// does the same). The loop runs on the thread pool with poll(), so that it reads exactly
// what is there and drains the master once the process has ended; Node's streams can do
// neither on fds they are given. Also pidfdGetfd, for create to take the pty master that
// lxcri-init opened in the container's devpts.
#include "ptyrelay.h"
#include "errors.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

namespace lxcri {

static int FdArg(const Napi::Env& env, const Napi::Value& v, const char* where, bool allowNone = false) {
  if (!v.IsNumber()) throw Napi::TypeError::New(env, std::string(where) + ": fd must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (allowNone && d == -1) return -1;
  if (!(d >= 0 && d <= INT_MAX) || static_cast<double>(static_cast<int>(d)) != d) {
    throw Napi::TypeError::New(env, std::string(where) + ": fd must be a non-negative integer");
  }
  return static_cast<int>(d);
}

// termRaw(fd): puts the terminal in raw mode (as cfmakeraw) and returns its previous
// settings for termRestore; null when fd is not a terminal.
Napi::Value TermRaw(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int fd = FdArg(env, info[0], "termRaw");
  struct termios old;
  if (tcgetattr(fd, &old) != 0) {
    if (errno == ENOTTY || errno == EINVAL) return env.Null();
    throw SysError(env, "tcgetattr", errno);
  }
  struct termios raw = old;
  cfmakeraw(&raw);
  if (tcsetattr(fd, TCSANOW, &raw) != 0) throw SysError(env, "tcsetattr (raw mode)", errno);
  return Napi::Buffer<char>::Copy(env, reinterpret_cast<const char*>(&old), sizeof(old));
}

// termRestore(fd, saved): the settings termRaw returned.
Napi::Value TermRestore(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int fd = FdArg(env, info[0], "termRestore");
  if (info.Length() < 2 || !info[1].IsBuffer() || info[1].As<Napi::Buffer<char>>().Length() != sizeof(struct termios)) {
    throw Napi::TypeError::New(env, "termRestore: expected the Buffer termRaw returned");
  }
  struct termios saved;
  std::memcpy(&saved, info[1].As<Napi::Buffer<char>>().Data(), sizeof(saved));
  if (tcsetattr(fd, TCSANOW, &saved) != 0) throw SysError(env, "tcsetattr (restore)", errno);
  return info.Env().Undefined();
}

// getWinsize(fd): { rows, cols }, or null when fd is not a terminal.
Napi::Value GetWinsize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int fd = FdArg(env, info[0], "getWinsize");
  struct winsize ws;
  if (ioctl(fd, TIOCGWINSZ, &ws) != 0) {
    if (errno == ENOTTY || errno == EINVAL) return env.Null();
    throw SysError(env, "TIOCGWINSZ", errno);
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("rows", Napi::Number::New(env, ws.ws_row));
  out.Set("cols", Napi::Number::New(env, ws.ws_col));
  return out;
}

// pidfdGetfd(pid, fd): a close-on-exec duplicate of process pid's fd.
Napi::Value PidfdGetfd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int pid = FdArg(env, info[0], "pidfdGetfd");
  const int target = FdArg(env, info[1], "pidfdGetfd");
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) throw SysError(env, "pidfd_open " + std::to_string(pid), errno);
  const int fd = static_cast<int>(syscall(SYS_pidfd_getfd, pidfd, target, 0));
  const int err = errno;
  close(pidfd);
  if (fd < 0) throw SysError(env, "pidfd_getfd " + std::to_string(pid) + " fd " + std::to_string(target), err);
  return Napi::Number::New(env, fd);
}

// Writes all of buf to fd, waiting for it when it is non-blocking; false with errno.
static bool WriteAll(int fd, const char* buf, size_t len) {
  while (len > 0) {
    const ssize_t n = write(fd, buf, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) return false;
      struct pollfd p = {fd, POLLOUT, 0};
      if (poll(&p, 1, -1) < 0 && errno != EINTR) return false;
      continue;
    }
    buf += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

// The copy loop: in -> master, master -> out, until every slave is closed (EIO) or the
// stop pipe says the process has ended; then what the master still holds is copied.
class RelayWorker : public Napi::AsyncWorker {
 public:
  RelayWorker(Napi::Env env, int in, int out, int master, int stop)
      : Napi::AsyncWorker(env, "lxcri.relayPty"), deferred_(Napi::Promise::Deferred::New(env)),
        in_(in), out_(out), master_(master), stop_(stop) {}
  ~RelayWorker() override { close(stop_); }

  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    char buf[16384];
    bool outOk = true;
    for (;;) {
      struct pollfd p[3] = {{master_, POLLIN, 0}, {stop_, POLLIN, 0}, {in_, POLLIN, 0}};
      const nfds_t n = in_ >= 0 ? 3 : 2;
      if (poll(p, n, -1) < 0) {
        if (errno == EINTR) continue;
        Fail("poll", errno);
        return;
      }
      if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        const ssize_t r = read(master_, buf, sizeof(buf));
        // EIO: no slave is open any more (the process and its children are gone).
        if (r == 0 || (r < 0 && errno == EIO)) return;
        if (r < 0 && errno != EINTR && errno != EAGAIN) {
          Fail("read the pty", errno);
          return;
        }
        // A closed stdout (EPIPE) still lets the process run: what it writes is dropped.
        if (r > 0 && outOk && !WriteAll(out_, buf, static_cast<size_t>(r))) outOk = false;
      }
      if (p[1].revents) {
        Drain(buf, sizeof(buf), outOk);
        return;
      }
      if (n == 3 && (p[2].revents & (POLLIN | POLLHUP | POLLERR))) {
        const ssize_t r = read(in_, buf, sizeof(buf));
        if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        // End of our input: the process keeps its terminal, we stop feeding it.
        if (r <= 0) {
          in_ = -1;
          continue;
        }
        if (!WriteAll(master_, buf, static_cast<size_t>(r))) {
          Fail("write to the pty", errno);
          return;
        }
      }
    }
  }

  void OnOK() override { deferred_.Resolve(Env().Undefined()); }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  void Fail(const char* what, int err) { SetError(std::string(what) + ": " + std::strerror(err)); }

  // The process has ended: what it wrote is queued for the master (a read flushes the
  // queue), so reading without blocking until EAGAIN (or EIO) gets all of it.
  void Drain(char* buf, size_t cap, bool outOk) {
    const int flags = fcntl(master_, F_GETFL);
    if (flags < 0 || fcntl(master_, F_SETFL, flags | O_NONBLOCK) < 0) {
      Fail("make the pty non-blocking", errno);
      return;
    }
    for (;;) {
      const ssize_t r = read(master_, buf, cap);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      if (outOk && !WriteAll(out_, buf, static_cast<size_t>(r))) outOk = false;
    }
    (void)fcntl(master_, F_SETFL, flags); /* the master is closed next anyway */
  }

  Napi::Promise::Deferred deferred_;
  int in_, out_, master_, stop_;
};

// relayPty(in, out, master): { done, stop }. Copies in -> master (in may be -1: no input)
// and master -> out on the thread pool. done resolves when every slave is closed, or once
// the fd `stop` (a pipe's write end, ours to close) is closed and the master is drained.
Napi::Value RelayPty(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int in = FdArg(env, info[0], "relayPty", true);
  const int out = FdArg(env, info[1], "relayPty");
  const int master = FdArg(env, info[2], "relayPty");
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw SysError(env, "pipe2", errno);
  RelayWorker* worker = nullptr;
  try {
    worker = new RelayWorker(env, in, out, master, fds[0]);
  } catch (...) {
    close(fds[0]);
    close(fds[1]);
    throw;
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("done", worker->Promise());
  result.Set("stop", Napi::Number::New(env, fds[1]));
  worker->Queue();
  return result;
}

}  // namespace lxcri
