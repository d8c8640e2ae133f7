// JS class Container: one lxc_container handle.
#ifndef LXCRI_NATIVE_CONTAINER_H_
#define LXCRI_NATIVE_CONTAINER_H_

#include <string>

#include <napi.h>

struct lxc_container;

namespace lxcri {

class Container : public Napi::ObjectWrap<Container> {
 public:
  // Builds the JS constructor function.
  static Napi::Function Define(Napi::Env env);

  // new Container(name: string, lxcpath: string)
  explicit Container(const Napi::CallbackInfo& info);
  // Drops the reference if release() was never called.
  ~Container() override;

  Container(const Container&) = delete;
  Container& operator=(const Container&) = delete;

 private:
  // Returns the handle or throws "<what>: container released".
  lxc_container* Handle(const Napi::Env& env, const char* what) const;

  Napi::Value Release(const Napi::CallbackInfo& info);
  Napi::Value ClearConfig(const Napi::CallbackInfo& info);
  Napi::Value SaveConfig(const Napi::CallbackInfo& info);
  Napi::Value SetConfigItem(const Napi::CallbackInfo& info);
  Napi::Value InitPid(const Napi::CallbackInfo& info);

  lxc_container* c_ = nullptr;
  std::string name_;
};

}  // namespace lxcri

#endif  // LXCRI_NATIVE_CONTAINER_H_
