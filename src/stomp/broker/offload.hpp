#pragma once
// co_await offload(pool, fn): runs the blocking `fn` on a worker thread and
// resumes the coroutine on its own executor (its strand) with the result.
// Include only from net/ and stomp/broker/ .cpp files (it pulls in Asio).
// It lives here, the lowest layer that needs it; net/ uses it too.
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>

#include "base/worker_pool.hpp"

namespace chattwo::stomp::broker {

/// Thrown into the coroutine when the pool's queue is full (answer 503).
struct PoolOverloaded : std::runtime_error {
  PoolOverloaded() : std::runtime_error("worker pool queue full") {}
};

namespace detail {

// One offloaded call: the coroutine's completion handler, the function, and
// a work guard that keeps the coroutine's executor alive meanwhile.
template <class Handler, class Fn, class R>
struct OffloadJob {
  Handler handler;
  Fn fn;
  boost::asio::executor_work_guard<boost::asio::associated_executor_t<Handler>> work;

  void run() {  // on a worker thread
    std::exception_ptr error;
    std::optional<R> result;
    try {
      result.emplace(fn());
    } catch (...) {
      error = std::current_exception();
    }
    complete(error, std::move(result));
  }
  void refuse() { complete(std::make_exception_ptr(PoolOverloaded{}), std::nullopt); }

  void complete(std::exception_ptr error, std::optional<R> result) {
    auto ex = work.get_executor();
    boost::asio::post(ex, [h = std::move(handler), error, r = std::move(result)]() mutable {
      std::move(h)(error, std::move(r));
    });
    work.reset();
  }
};

}  // namespace detail

template <class Fn, class R = std::invoke_result_t<Fn&>>
boost::asio::awaitable<R> offload(base::WorkerPool& pool, Fn fn) {
  // The result travels as optional<R> so that R needs no default constructor.
  auto initiate = [&pool, fn = std::move(fn)](auto handler) mutable {
    using Job = detail::OffloadJob<decltype(handler), Fn, R>;
    auto work = boost::asio::make_work_guard(boost::asio::get_associated_executor(handler));
    auto job = std::make_shared<Job>(Job{std::move(handler), std::move(fn), std::move(work)});
    if (!pool.try_submit([job] { job->run(); })) job->refuse();  // completes through post, never inline
  };
  std::optional<R> result =
      co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                           void(std::exception_ptr, std::optional<R>)>(
          std::move(initiate), boost::asio::use_awaitable);
  co_return std::move(*result);
}

}  // namespace chattwo::stomp::broker
