#pragma once
// Result<T>: a value or a chat::Error, with std::expected's member names so
// that moving to C++23 is a one-line change.
#include <cassert>
#include <utility>
#include <variant>

#include "chat/error.hpp"

namespace chattwo::chat {

/// Wraps an Error for construction of a failed Result (std::unexpected's role).
struct Unexpected {
  Error error;
};
inline Unexpected fail(Error e) { return Unexpected{std::move(e)}; }

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Unexpected u) : v_(std::in_place_index<1>, std::move(u.error)) {}

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { assert(has_value()); return std::get<0>(v_); }
  const T& value() const& { assert(has_value()); return std::get<0>(v_); }
  T&& value() && { assert(has_value()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { assert(!has_value()); return std::get<1>(v_); }
  Error&& error() && { assert(!has_value()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Unexpected u) : error_(std::move(u.error)), ok_(false) {}

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  void value() const { assert(ok_); }
  const Error& error() const& { assert(!ok_); return error_; }

 private:
  Error error_{Code::internal, {}};
  bool ok_ = true;
};

}  // namespace chattwo::chat
