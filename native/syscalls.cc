// System calls Node's standard library lacks: mkfifo for the create/start sync fifo,
// the NS_GET_NSTYPE ioctl to check namespaces joined by path, FD_CLOEXEC for --preserve-fds,
// waitpid for the exec'd processes left to us as a subreaper, and the propagation of a
// container's root mount (linux.rootfsPropagation).
#include "syscalls.h"
#include "errors.h"

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace lxcri {

// mkfifo(path: string, mode: number): void — the mode is applied exactly (umask ignored).
Napi::Value Mkfifo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsNumber()) {
    throw Napi::TypeError::New(env, "mkfifo: expected (path: string, mode: number)");
  }
  const std::string path = info[0].As<Napi::String>().Utf8Value();
  const mode_t mode = static_cast<mode_t>(info[1].As<Napi::Number>().Uint32Value() & 07777);
  if (path.find('\0') != std::string::npos) throw Napi::TypeError::New(env, "mkfifo: path contains a NUL byte");
  if (mkfifo(path.c_str(), mode) != 0 || chmod(path.c_str(), mode) != 0) {
    throw SysError(env, "mkfifo " + path, errno);
  }
  return info.Env().Undefined();
}

// The namespace type behind an nsfs file (/proc/PID/ns/X or a bind mount of one, as
// CRI-O's pinns makes): "net", "uts", ... or null when it is no namespace at all.
Napi::Value NsType(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) throw Napi::TypeError::New(env, "nsType: expected (path: string)");
  const std::string path = info[0].As<Napi::String>().Utf8Value();
  if (path.find('\0') != std::string::npos) throw Napi::TypeError::New(env, "nsType: path contains a NUL byte");
  // O_PATH first: opening a FIFO for reading would block, a device could act; only an
  // nsfs file is opened for the ioctl (through its O_PATH fd, the same inode).
  const int pathFd = open(path.c_str(), O_PATH | O_CLOEXEC);
  if (pathFd < 0) {
    throw SysError(env, path, errno);
  }
  struct statfs sfs;
  if (fstatfs(pathFd, &sfs) != 0) {
    const int err = errno;
    close(pathFd);
    throw SysError(env, path, err);
  }
  if (sfs.f_type != NSFS_MAGIC) {
    close(pathFd);
    return env.Null();
  }
  const int fd = open(("/proc/self/fd/" + std::to_string(pathFd)).c_str(), O_RDONLY | O_CLOEXEC);
  const int openErr = errno;
  close(pathFd);
  if (fd < 0) throw SysError(env, path, openErr);
  const int type = ioctl(fd, NS_GET_NSTYPE);
  close(fd);
  switch (type) {
    case CLONE_NEWNET: return Napi::String::New(env, "net");
    case CLONE_NEWUTS: return Napi::String::New(env, "uts");
    case CLONE_NEWIPC: return Napi::String::New(env, "ipc");
    case CLONE_NEWPID: return Napi::String::New(env, "pid");
    case CLONE_NEWNS: return Napi::String::New(env, "mnt");
    case CLONE_NEWUSER: return Napi::String::New(env, "user");
    case CLONE_NEWCGROUP: return Napi::String::New(env, "cgroup");
    case CLONE_NEWTIME: return Napi::String::New(env, "time");
    default: return env.Null();
  }
}

// setInheritable(fd, inheritable): clears or sets FD_CLOEXEC. Node makes every fd it
// inherited close-on-exec at startup; --preserve-fds needs them inherited again.
Napi::Value SetInheritable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsBoolean()) {
    throw Napi::TypeError::New(env, "setInheritable: expected (fd: number, inheritable: boolean)");
  }
  const int fd = info[0].As<Napi::Number>().Int32Value();
  if (fd < 0) throw Napi::TypeError::New(env, "setInheritable: fd must not be negative");
  const int flags = fcntl(fd, F_GETFD);
  const int want = info[1].As<Napi::Boolean>().Value() ? (flags & ~FD_CLOEXEC) : (flags | FD_CLOEXEC);
  if (flags < 0 || fcntl(fd, F_SETFD, want) < 0) {
    throw SysError(env, "fd " + std::to_string(fd), errno);
  }
  return info.Env().Undefined();
}

// reap(pid): waitpid(pid, WNOHANG) for a child that libuv does not know (an attached
// process): its raw wait status once it has ended (and is reaped), null while it runs.
// Never blocks, so no thread waits for a process that may run for days.
Napi::Value Reap(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "reap: expected (pid: number)");
  const pid_t pid = static_cast<pid_t>(info[0].As<Napi::Number>().Int32Value());
  if (pid <= 0) throw Napi::TypeError::New(env, "reap: pid must be positive");
  int status = 0;
  pid_t r;
  do {
    r = waitpid(pid, &status, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r < 0) throw SysError(env, "waitpid " + std::to_string(pid), errno);
  if (r == 0) return env.Null();
  return Napi::Number::New(env, status);
}

// pipe(): [read, write], both close-on-exec: a helper's status line reaches us on a pipe
// whether we spawned the helper or the client of the lxcri service did (it gets the write
// end passed on).
Napi::Value Pipe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw SysError(env, "pipe2", errno);
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::Number::New(env, fds[0]));
  out.Set(1u, Napi::Number::New(env, fds[1]));
  return out;
}

// setRootPropagation(pid, kind): makes the root mount of PID's mount namespace shared,
// slave, private or unbindable (not recursive, as runc takes rootfsPropagation). A
// multi-threaded process cannot enter a mount namespace, so a forked child does it with
// system calls only and reports errno as its exit status.
Napi::Value SetRootPropagation(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsString()) {
    throw Napi::TypeError::New(env, "setRootPropagation: expected (pid: number, kind: string)");
  }
  const int pid = info[0].As<Napi::Number>().Int32Value();
  const std::string kind = info[1].As<Napi::String>().Utf8Value();
  unsigned long flag;
  if (kind == "shared") flag = MS_SHARED;
  else if (kind == "slave") flag = MS_SLAVE;
  else if (kind == "private") flag = MS_PRIVATE;
  else if (kind == "unbindable") flag = MS_UNBINDABLE;
  else throw Napi::TypeError::New(env, "setRootPropagation: unknown kind \"" + kind + "\"");
  if (pid <= 0) throw Napi::TypeError::New(env, "setRootPropagation: pid must be positive");
  const std::string ns = "/proc/" + std::to_string(pid) + "/ns/mnt";
  const int fd = open(ns.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw SysError(env, ns, errno);
  const pid_t child = fork();
  if (child == 0) {
    // setns makes the namespace's root our root, so "/" is the container's root mount.
    // Shared means a peer group of its own, as runc and crun make it: not also a slave of
    // the host mount the rootfs came from (private first drops that master).
    if (setns(fd, CLONE_NEWNS) < 0) _exit(errno & 0xff);
    if (flag == MS_SHARED && mount("none", "/", nullptr, MS_PRIVATE, nullptr) < 0) _exit(errno & 0xff);
    if (mount("none", "/", nullptr, flag, nullptr) < 0) _exit(errno & 0xff);
    _exit(0);
  }
  const int forkErr = errno;
  close(fd);
  if (child < 0) throw SysError(env, "fork", forkErr);
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) throw SysError(env, "waitpid", errno);
  }
  if (!WIFEXITED(status)) throw Napi::Error::New(env, "make the root mount " + kind + ": helper process died");
  if (WEXITSTATUS(status) != 0) throw SysError(env, "make the root mount " + kind, WEXITSTATUS(status));
  return info.Env().Undefined();
}

// flock(fd, op): flock(2) without blocking, for locks between lxcri processes (Node has
// none). op "shared" or "exclusive": true when taken, false when another process holds a
// conflicting lock (EWOULDBLOCK); "unlock": releases. The caller polls, so the event loop
// never blocks on a lock.
Napi::Value Flock(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsString()) {
    throw Napi::TypeError::New(env, "flock: expected (fd: number, op: string)");
  }
  const int fd = info[0].As<Napi::Number>().Int32Value();
  const std::string op = info[1].As<Napi::String>().Utf8Value();
  int how;
  if (op == "shared") how = LOCK_SH | LOCK_NB;
  else if (op == "exclusive") how = LOCK_EX | LOCK_NB;
  else if (op == "unlock") how = LOCK_UN;
  else throw Napi::TypeError::New(env, "flock: unknown op \"" + op + "\"");
  if (fd < 0) throw Napi::TypeError::New(env, "flock: fd must not be negative");
  int r;
  do {
    r = flock(fd, how);
  } while (r < 0 && errno == EINTR);
  if (r == 0) return Napi::Boolean::New(env, true);
  if (errno == EWOULDBLOCK) return Napi::Boolean::New(env, false);
  throw SysError(env, "flock fd " + std::to_string(fd), errno);
}

}  // namespace lxcri
