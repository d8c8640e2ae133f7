#include "errors.h"

#include <cstring>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <utility>

#include <lxc/lxccontainer.h>

// liblxc's log category/appender structures are internal (not in the
// installed headers), but the root category is an exported symbol. Their
// layout has been unchanged since liblxc 2.0. We need them for one reason:
// lxc_log_init() in liblxc 5.0.x attaches the stderr appender whenever it
// opened a log file, ignoring `quiet`, so every ERROR would also be printed
// to our stderr. We detach that appender again right after init.
namespace {
struct LxcLogAppender {
  const char* name;
  int (*append)(const LxcLogAppender*, void*);
  LxcLogAppender* next;
};
struct LxcLogCategory {
  const char* name;
  int priority;
  LxcLogAppender* appender;
  const LxcLogCategory* parent;
};
}  // namespace

extern "C" LxcLogCategory lxc_log_category_lxc;

namespace lxcri {
namespace {

// Above this size the memfd is emptied (when no call is being captured).
constexpr off_t kTruncateAbove = 64 * 1024;
// At most this much of what one call logged is read back.
constexpr off_t kMaxRead = 64 * 1024;

struct Capture {
  std::mutex mu;
  int fd = -1;              // the memfd, -1 when capture is unavailable
  unsigned inflight = 0;    // live LogScopes that remembered an offset
  LogCaptureStatus status;
};

Capture& TheCapture() {
  static Capture capture;
  return capture;
}

std::string ErrnoText(int err) {
  char buf[256];
  // GNU strerror_r returns a pointer that may or may not be buf.
  const char* text = strerror_r(err, buf, sizeof(buf));
  return text != nullptr ? std::string(text) : std::string("errno ") + std::to_string(err);
}

bool NameIs(const char* name, const char* expected) {
  return name != nullptr && strcmp(name, expected) == 0;
}

// Before init the "lxc" category has exactly the logfile appender.
bool LogInternalsLookRight() {
  const LxcLogCategory& root = lxc_log_category_lxc;
  return NameIs(root.name, "lxc") && root.appender != nullptr &&
         NameIs(root.appender->name, "logfile");
}

// Unlinks every appender named "stderr" from the "lxc" category's chain.
void DetachStderrAppender() {
  LxcLogAppender** link = &lxc_log_category_lxc.appender;
  while (*link != nullptr) {
    if (NameIs((*link)->name, "stderr")) {
      *link = (*link)->next;
    } else {
      link = &(*link)->next;
    }
  }
}

// True when some other descriptor of this process refers to the same file as
// `fd`, i.e. liblxc really opened our memfd (lxc_log_init returns 0 without
// doing anything when the log was already initialised).
bool SomeoneElseOpened(int fd) {
  struct stat ours;
  if (fstat(fd, &ours) != 0) return false;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return false;
  const int dir_fd = dirfd(dir);
  bool found = false;
  for (struct dirent* ent = readdir(dir); ent != nullptr; ent = readdir(dir)) {
    char* end = nullptr;
    const long n = strtol(ent->d_name, &end, 10);
    if (end == ent->d_name || *end != '\0') continue;
    if (n == fd || n == dir_fd) continue;
    struct stat st;
    if (fstat(static_cast<int>(n), &st) != 0) continue;
    if (st.st_dev == ours.st_dev && st.st_ino == ours.st_ino) {
      found = true;
      break;
    }
  }
  closedir(dir);  // read-only stream; a failure here changes nothing
  return found;
}

void InitOnce(Capture& cap) {
  if (!LogInternalsLookRight()) {
    cap.status.detail =
        "liblxc log internals are not as expected; leaving liblxc's log off "
        "(enabling it would also print to stderr)";
    return;
  }
  const int fd = memfd_create("lxcri-lxc-log", MFD_CLOEXEC);
  if (fd < 0) {
    cap.status.detail = "memfd_create: " + ErrnoText(errno);
    return;
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  struct lxc_log cfg;
  memset(&cfg, 0, sizeof(cfg));
  cfg.name = "lxcri";
  cfg.lxcpath = nullptr;  // only used when no file is given
  cfg.file = path.c_str();
  cfg.level = "ERROR";
  cfg.prefix = "lxcri";
  cfg.quiet = true;
  const int ret = lxc_log_init(&cfg);
  const int init_errno = errno;
  DetachStderrAppender();
  if (ret < 0) {
    cap.status.detail = "lxc_log_init: " + ErrnoText(init_errno);
    close(fd);
    return;
  }
  if (!SomeoneElseOpened(fd)) {
    cap.status.detail = "lxc_log_init did not open " + path + " (log already initialised?)";
    close(fd);
    return;
  }
  cap.fd = fd;
  cap.status.active = true;
  cap.status.detail = path;
}

// Reads [from, to) of fd; returns what could be read.
std::string ReadRange(int fd, off_t from, off_t to) {
  std::string out;
  if (to <= from) return out;
  out.resize(static_cast<size_t>(to - from));
  size_t got = 0;
  while (got < out.size()) {
    const ssize_t n = pread(fd, &out[got], out.size() - got, from + static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  out.resize(got);
  return out;
}

std::string Trim(const std::string& s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// A liblxc log line is
//   <prefix> <name> <timestamp> <LEVEL> <category> - <file>:<func>:<line> - <message>
// Returns <message>. The location part contains no " - ", the message may.
std::string MessageOf(const std::string& line) {
  static const std::string kSep = " - ";
  const size_t first = line.find(kSep);
  if (first == std::string::npos) return line;
  const size_t loc = first + kSep.size();
  const size_t second = line.find(kSep, loc);
  if (second == std::string::npos) return line.substr(loc);
  // Sanity check: the location ends in ":<digits>".
  size_t p = second;
  while (p > loc && isdigit(static_cast<unsigned char>(line[p - 1]))) --p;
  if (p == second || p == loc || line[p - 1] != ':') return line.substr(loc);
  return line.substr(second + kSep.size());
}

std::vector<std::string> MessagesOf(const std::string& text, bool first_may_be_partial) {
  std::vector<std::string> out;
  size_t start = 0;
  bool first = true;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = Trim(text.substr(start, end - start));
    if (!line.empty() && !(first && first_may_be_partial)) out.push_back(MessageOf(line));
    first = false;
    start = end + 1;
  }
  return out;
}

}  // namespace

const LogCaptureStatus& InitLogCapture() {
  static std::once_flag once;
  Capture& cap = TheCapture();
  std::call_once(once, [&cap] {
    std::lock_guard<std::mutex> lock(cap.mu);
    InitOnce(cap);
  });
  return cap.status;
}

LogScope::LogScope() {
  Capture& cap = TheCapture();
  std::lock_guard<std::mutex> lock(cap.mu);
  if (cap.fd < 0) return;
  struct stat st;
  if (fstat(cap.fd, &st) != 0) return;
  off_t size = st.st_size;
  // Only truncate while nobody else holds an offset into the file.
  if (size > kTruncateAbove && cap.inflight == 0 && ftruncate(cap.fd, 0) == 0) size = 0;
  offset_ = size;
  active_ = true;
  ++cap.inflight;
}

LogScope::~LogScope() {
  if (!active_) return;
  Capture& cap = TheCapture();
  std::lock_guard<std::mutex> lock(cap.mu);
  --cap.inflight;
}

Failure LogScope::Fail(const std::string& what, const char* fallback) {
  Failure failure;
  if (active_) {
    Capture& cap = TheCapture();
    std::string text;
    bool partial = false;
    {
      std::lock_guard<std::mutex> lock(cap.mu);
      struct stat st;
      if (fstat(cap.fd, &st) == 0 && st.st_size > offset_) {
        off_t from = offset_;
        if (st.st_size - from > kMaxRead) {
          from = st.st_size - kMaxRead;
          partial = true;
        }
        text = ReadRange(cap.fd, from, st.st_size);
      }
    }
    failure.log = MessagesOf(text, partial);
  }
  std::string reason;
  if (!failure.log.empty()) {
    reason = failure.log.back();
  } else if (fallback != nullptr && fallback[0] != '\0') {
    reason = fallback;
  } else if (TheCapture().fd < 0) {
    reason = "failed (liblxc log capture unavailable)";
  } else {
    reason = "failed (liblxc logged no reason)";
  }
  failure.message = what + ": " + reason;
  return failure;
}

Napi::Error ToJsError(Napi::Env env, const Failure& failure) {
  Napi::Error error = Napi::Error::New(env, failure.message);
  Napi::Array log = Napi::Array::New(env, failure.log.size());
  for (size_t i = 0; i < failure.log.size(); ++i) {
    log.Set(static_cast<uint32_t>(i), Napi::String::New(env, failure.log[i]));
  }
  error.Value().Set("lxcLog", log);
  return error;
}

Napi::Error SysError(const Napi::Env& env, const std::string& what, int err) {
  Napi::Error e = Napi::Error::New(env, what + ": " + std::strerror(err));
  // As Node's own system errors: the name in `code`, the negated number in `errno`.
  const char* name = strerrorname_np(err);
  e.Set("code", Napi::String::New(env, name != nullptr ? name : ("E" + std::to_string(err)).c_str()));
  e.Set("errno", Napi::Number::New(env, -err));
  return e;
}

}  // namespace lxcri
