// Mount points made inside a rootfs that others may write while create runs. Each step
// opens one name relative to the directory fd of the step before, with O_NOFOLLOW, and
// makes a missing name with mkdirat/openat(O_EXCL) relative to the same fd: a symlink,
// also one renamed into place meanwhile, is never followed by the kernel. It is handed
// back as text for the caller to resolve inside the container's root.
#include "mountpoint.h"
#include "errors.h"

#include <cerrno>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lxcri {

// openDirPath(path): an O_PATH fd of a directory the operator named (a rootfs, a bind
// source), its symlinks followed as the kernel follows them when it mounts from there.
Napi::Value OpenDirPath(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) throw Napi::TypeError::New(env, "openDirPath: expected (path: string)");
  const std::string path = info[0].As<Napi::String>().Utf8Value();
  if (path.find('\0') != std::string::npos) throw Napi::TypeError::New(env, "openDirPath: path contains a NUL byte");
  const int fd = open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw SysError(env, path, errno);
  return Napi::Number::New(env, fd);
}

static const char* TypeName(mode_t mode) {
  if (S_ISDIR(mode)) return "dir";
  if (S_ISREG(mode)) return "file";
  if (S_ISLNK(mode)) return "link";
  return "other";
}

// Makes `name` in dirfd as `kind` ("dir" or "file"); true if made here, false if it was
// there already (whatever it is: the caller opens it without following and looks).
static bool MakeName(const Napi::Env& env, int dirfd, const std::string& name, const std::string& kind) {
  if (kind == "dir") {
    if (mkdirat(dirfd, name.c_str(), 0755) == 0) return true;
  } else {
    // O_EXCL: fails on anything there, a symlink included, instead of opening through it.
    const int fd = openat(dirfd, name.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0) {
      close(fd);
      return true;
    }
  }
  if (errno == EEXIST) return false;
  throw SysError(env, "make " + name, errno);
}

// mountPointStep(dirfd, name, create, inheritOwner): opens `name` in dirfd without
// following it, first making it ("dir" or "file") when it is missing and create is set.
// { fd: -1, type: "missing" } when it is missing and create is null; otherwise the new
// O_PATH fd (the caller closes it), its type ("dir", "file", "link", "other"), a link's
// target, and whether this call made it. inheritOwner: what is made gets the owner of
// dirfd (a user namespace's root owns its rootfs, not host root).
Napi::Value MountPointStep(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 4 || !info[0].IsNumber() || !info[1].IsString() || !(info[2].IsString() || info[2].IsNull()) || !info[3].IsBoolean()) {
    throw Napi::TypeError::New(env, "mountPointStep: expected (dirfd: number, name: string, create: 'dir' | 'file' | null, inheritOwner: boolean)");
  }
  const int dirfd = info[0].As<Napi::Number>().Int32Value();
  const std::string name = info[1].As<Napi::String>().Utf8Value();
  const std::string create = info[2].IsNull() ? "" : info[2].As<Napi::String>().Utf8Value();
  const bool inheritOwner = info[3].As<Napi::Boolean>().Value();
  if (dirfd < 0) throw Napi::TypeError::New(env, "mountPointStep: dirfd must not be negative");
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos || name.find('\0') != std::string::npos) {
    throw Napi::TypeError::New(env, "mountPointStep: name must be one path component");
  }
  if (!create.empty() && create != "dir" && create != "file") throw Napi::TypeError::New(env, "mountPointStep: create must be 'dir', 'file' or null");

  bool made = false;
  int fd = -1;
  // A name removed between make and open is made again; a few rounds, then give up.
  for (int round = 0; fd < 0; round++) {
    fd = openat(dirfd, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) break;
    if (errno != ENOENT) throw SysError(env, name, errno);
    if (create.empty()) {
      Napi::Object missing = Napi::Object::New(env);
      missing.Set("fd", Napi::Number::New(env, -1));
      missing.Set("type", Napi::String::New(env, "missing"));
      missing.Set("made", Napi::Boolean::New(env, false));
      return missing;
    }
    if (round >= 8) throw SysError(env, name, ENOENT);
    made = MakeName(env, dirfd, name, create) || made;
  }
  struct stat st;
  if (fstat(fd, &st) < 0) {
    const int err = errno;
    close(fd);
    throw SysError(env, name, err);
  }
  Napi::Object out = Napi::Object::New(env);
  if (S_ISLNK(st.st_mode)) {
    // Read from the fd just opened: the very link that was looked at, not a newer one.
    std::vector<char> buf(4096);
    const ssize_t n = readlinkat(fd, "", buf.data(), buf.size());
    const int err = errno;
    if (n < 0 || static_cast<size_t>(n) >= buf.size()) {
      close(fd);
      throw SysError(env, "readlink " + name, n < 0 ? err : ENAMETOOLONG);
    }
    out.Set("target", Napi::String::New(env, std::string(buf.data(), static_cast<size_t>(n))));
  }
  if (made && inheritOwner) {
    struct stat parent;
    if (fstat(dirfd, &parent) < 0 || fchownat(fd, "", parent.st_uid, parent.st_gid, AT_EMPTY_PATH) < 0) {
      const int err = errno;
      close(fd);
      throw SysError(env, "chown " + name, err);
    }
  }
  out.Set("fd", Napi::Number::New(env, fd));
  out.Set("type", Napi::String::New(env, TypeName(st.st_mode)));
  out.Set("made", Napi::Boolean::New(env, made));
  return out;
}

}  // namespace lxcri
