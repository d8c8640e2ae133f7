// Capture of liblxc's own error messages.
//
// liblxc reports why a call failed only through its log. At module init the
// log is pointed at an anonymous memfd; every liblxc call that may fail is
// wrapped in a LogScope, which remembers where the memfd ended before the call
// and, on failure, reads back what liblxc appended.
#ifndef LXCRI_NATIVE_ERRORS_H_
#define LXCRI_NATIVE_ERRORS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include <napi.h>

namespace lxcri {

struct LogCaptureStatus {
  bool active = false;
  // Log file path when active, otherwise why capture is unavailable.
  std::string detail;
};

// Points liblxc's log at a memfd. Process-wide; only the first call does
// work, later calls return the same status. Never throws.
const LogCaptureStatus& InitLogCapture();

// Description of one failed liblxc call.
struct Failure {
  // "<what failed>: <liblxc's reason>"
  std::string message;
  // The message part of every line liblxc logged during the call, oldest
  // first. Empty when liblxc logged nothing.
  std::vector<std::string> log;
};

// Brackets one liblxc call. Create it right before the call; call Fail() only
// after the call failed. Usable from any thread.
class LogScope {
 public:
  LogScope();
  ~LogScope();
  LogScope(const LogScope&) = delete;
  LogScope& operator=(const LogScope&) = delete;

  // Collects what liblxc logged since this scope was created. `fallback`
  // (may be null) is used as the reason when liblxc logged nothing.
  Failure Fail(const std::string& what, const char* fallback = nullptr);

 private:
  bool active_ = false;
  off_t offset_ = 0;
};

// JS Error whose message is failure.message, with an `lxcLog` string array.
Napi::Error ToJsError(Napi::Env env, const Failure& failure);

// "<what>: <strerror(err)>" with the number in the error's `errno` property, for the
// system calls the addon makes itself.
Napi::Error SysError(const Napi::Env& env, const std::string& what, int err);

}  // namespace lxcri

#endif  // LXCRI_NATIVE_ERRORS_H_
