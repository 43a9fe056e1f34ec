#pragma once
// A move-only `void()` callable: std::function needs copyable targets, and
// std::move_only_function is C++23 (GCC 12 lacks it). Swap it in when the
// toolchain moves.
#include <memory>
#include <type_traits>
#include <utility>

namespace chattwo::base {

class UniqueFunction {
 public:
  UniqueFunction() = default;
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, UniqueFunction>>>
  UniqueFunction(F&& f) : impl_(std::make_unique<Model<std::decay_t<F>>>(std::forward<F>(f))) {}

  explicit operator bool() const { return impl_ != nullptr; }
  void operator()() { impl_->call(); }

 private:
  struct Concept {
    virtual ~Concept() = default;
    virtual void call() = 0;
  };
  template <class F>
  struct Model final : Concept {
    explicit Model(F f) : f_(std::move(f)) {}
    void call() override { f_(); }
    F f_;
  };
  std::unique_ptr<Concept> impl_;
};

}  // namespace chattwo::base
