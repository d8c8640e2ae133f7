// sealedCopy: a memfd copy of a file, sealed against every change. `lxcri exec` runs
// lxcri-init from it (exec'd by its fd in the container): the process that joins the
// container then shows no host file behind /proc/<pid>/exe that a container process
// could open and write (CVE-2019-5736), and no mount of the host's binary is needed.
// childSubreaper: PR_SET_CHILD_SUBREAPER, so that a detached exec'd process, whose parent
// lxcri-attach exits, becomes our child to reap.
#include "execsupport.h"
#include "errors.h"

#include <cerrno>
#include <string>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lxcri {

// Copies all of `in` into `out`; false with errno.
static bool CopyAll(int in, int out, off_t size) {
  off_t done = 0;
  while (done < size) {
    const ssize_t n = sendfile(out, in, nullptr, static_cast<size_t>(size - done));
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) errno = EIO;  // shorter than its size
    if (n <= 0) return false;
    done += n;
  }
  return true;
}

// sealedCopy(path: string, name: string): number — a close-on-exec fd of the copy.
Napi::Value SealedCopy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsString()) {
    throw Napi::TypeError::New(env, "sealedCopy: expected (path: string, name: string)");
  }
  const std::string path = info[0].As<Napi::String>().Utf8Value();
  const std::string name = info[1].As<Napi::String>().Utf8Value();
  if (path.find('\0') != std::string::npos || name.find('\0') != std::string::npos) {
    throw Napi::TypeError::New(env, "sealedCopy: arguments contain a NUL byte");
  }
  const int in = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) throw SysError(env, "open " + path, errno);
  struct stat st;
  if (fstat(in, &st) < 0) {
    const int err = errno;
    close(in);
    throw SysError(env, "stat " + path, err);
  }
  const int out = memfd_create(name.c_str(), MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (out < 0) {
    const int err = errno;
    close(in);
    throw SysError(env, "memfd_create", err);
  }
  const bool copied = CopyAll(in, out, st.st_size);
  int err = errno;
  close(in);
  if (!copied) {
    close(out);
    throw SysError(env, "copy " + path, err);
  }
  if (fchmod(out, 0555) < 0 ||
      fcntl(out, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
    err = errno;
    close(out);
    throw SysError(env, "seal the copy of " + path, err);
  }
  return Napi::Number::New(env, out);
}

// sealedData(name: string, data: Buffer): number — a close-on-exec fd of a sealed memfd
// holding data, its offset at 0: exec's process record for lxcri-init, which no one can
// change once handed on.
Napi::Value SealedData(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsBuffer()) {
    throw Napi::TypeError::New(env, "sealedData: expected (name: string, data: Buffer)");
  }
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  if (name.find('\0') != std::string::npos) throw Napi::TypeError::New(env, "sealedData: name contains a NUL byte");
  const Napi::Buffer<char> data = info[1].As<Napi::Buffer<char>>();
  const int fd = memfd_create(name.c_str(), MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) throw SysError(env, "memfd_create", errno);
  size_t done = 0;
  while (done < data.Length()) {
    const ssize_t n = write(fd, data.Data() + done, data.Length() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      close(fd);
      throw SysError(env, "write " + name, err);
    }
    done += static_cast<size_t>(n);
  }
  if (lseek(fd, 0, SEEK_SET) < 0 ||
      fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
    const int err = errno;
    close(fd);
    throw SysError(env, "seal " + name, err);
  }
  return Napi::Number::New(env, fd);
}

// childSubreaper(on: boolean): boolean — sets PR_SET_CHILD_SUBREAPER, returns the old value.
Napi::Value ChildSubreaper(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsBoolean()) throw Napi::TypeError::New(env, "childSubreaper: expected (on: boolean)");
  int old = 0;
  if (prctl(PR_GET_CHILD_SUBREAPER, &old, 0, 0, 0) < 0) throw SysError(env, "PR_GET_CHILD_SUBREAPER", errno);
  if (prctl(PR_SET_CHILD_SUBREAPER, info[0].As<Napi::Boolean>().Value() ? 1 : 0, 0, 0, 0) < 0) {
    throw SysError(env, "PR_SET_CHILD_SUBREAPER", errno);
  }
  return Napi::Boolean::New(env, old != 0);
}

}  // namespace lxcri
