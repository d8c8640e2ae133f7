// Attaching a process to a running container (c->attach, c->attach_run_wait).
#ifndef LXCRI_NATIVE_ATTACH_H_
#define LXCRI_NATIVE_ATTACH_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include <napi.h>

#include <lxc/attach_options.h>

struct lxc_container;

namespace lxcri {

// The JS options object of attach()/attachRunWait(), copied out of JS so that a
// worker thread can use it. Owns every string liblxc gets a pointer to.
class AttachRequest {
 public:
  // Reads and checks `opts` (throws TypeError on a malformed one).
  AttachRequest(const Napi::Env& env, const Napi::Value& opts, const char* method);

  AttachRequest(const AttachRequest&) = delete;
  AttachRequest& operator=(const AttachRequest&) = delete;

  // Attach options pointing into this object; valid while it lives, unmoved.
  lxc_attach_options_t* options() { return &options_; }
  lxc_attach_command_t* command() { return &command_; }
  const std::string& program() const { return argv_.front(); }
  // argv as liblxc's attach_run_wait wants it (NULL-terminated).
  const char* const* argv() const { return argv_ptrs_.data(); }

 private:
  std::vector<std::string> argv_;
  std::vector<std::string> env_;
  std::string cwd_;
  std::vector<char*> argv_ptrs_;
  std::vector<char*> env_ptrs_;
  lxc_attach_options_t options_;
  lxc_attach_command_t command_;
};

// Queues c->attach_run_wait on a worker thread; the promise resolves with the
// raw wait status. Takes its own reference on `c`.
Napi::Promise QueueAttachRunWait(Napi::Env env, lxc_container* c, const Napi::Value& opts);

}  // namespace lxcri

#endif  // LXCRI_NATIVE_ATTACH_H_
