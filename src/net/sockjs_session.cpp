#include "net/sockjs_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "net/sockjs_framing.hpp"
#include "stomp/broker/stomp_session.hpp"

namespace chattwo::net {
namespace asio = boost::asio;
using stomp::broker::OutFrame;

namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
}  // namespace

SockJsSession::SockJsSession(std::string id, asio::any_io_executor strand, SockJsLimits limits)
    : id_(std::move(id)),
      strand_(std::move(strand)),
      limits_(limits),
      reader_timer_(strand_),
      watch_timer_(strand_),
      detached_since_(Clock::now()) {}

SockJsSession::~SockJsSession() = default;

void SockJsSession::start(stomp::broker::SessionContext& ctx, std::string cookie_secret,
                          std::function<void()> on_stomp_end, std::function<void()> on_gone) {
  asio::co_spawn(strand_, run(ctx, std::move(cookie_secret), std::move(on_stomp_end)), asio::detached);
  asio::co_spawn(strand_, watch(std::move(on_gone)), asio::detached);
}

asio::awaitable<void> SockJsSession::run(stomp::broker::SessionContext& ctx, std::string cookie_secret,
                                         std::function<void()> on_stomp_end) {
  auto self = shared_from_this();  // the STOMP session holds this Transport
  try {
    co_await stomp::broker::serve_stomp(*this, ctx, std::move(cookie_secret));
  } catch (const std::exception& e) {
    spdlog::error("sockjs {}: STOMP session failed: {}", id_, e.what());
  }
  {
    std::lock_guard lock(mutex_);
    close_locked(3000, "Go away!");
  }
  on_stomp_end();
}

void SockJsSession::shut_down() {
  std::lock_guard lock(mutex_);
  close_locked(1001, "Server shutting down");
}

// disconnect_delay: checked when it could have passed, not polled often.
asio::awaitable<void> SockJsSession::watch(std::function<void()> on_gone) {
  auto self = shared_from_this();
  for (;;) {
    Clock::duration sleep = limits_.disconnect_delay;
    bool gone = false;
    {
      std::lock_guard lock(mutex_);
      if (receiver_ == 0) {
        const auto due = detached_since_ + limits_.disconnect_delay;
        const auto now = Clock::now();
        if (now >= due) {
          gone = true;
          close_locked(3000, "Go away!");  // a no-op when already closed
        } else {
          sleep = due - now;
        }
      }
    }
    if (gone) break;
    watch_timer_.expires_after(sleep);
    co_await watch_timer_.async_wait(kTuple);
  }
  on_gone();
}

SockJsSession::Receiver SockJsSession::attach(std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  // A closed session answers every receiver with its close frame, even
  // while an earlier one is still finishing.
  if (!close_frame_.empty() && outbound_.empty()) return {Attach::closed, 0};
  if (receiver_ != 0) return {Attach::busy, 0};
  receiver_ = next_token_++;
  wake_ = std::move(wake);
  const bool first = !open_sent_;
  open_sent_ = true;
  return {first ? Attach::opened : Attach::attached, receiver_};
}

SockJsSession::Batch SockJsSession::take(std::uint64_t token) {
  Batch batch;
  std::lock_guard lock(mutex_);
  if (token != receiver_) {
    batch.close = close_frame_.empty() ? sockjs::close_frame(2010, "Another connection still open") : close_frame_;
    return batch;
  }
  if (!outbound_.empty()) {
    batch.messages.swap(outbound_);
    outbound_bytes_ = 0;
    return batch;
  }
  if (!close_frame_.empty()) {
    batch.close = close_frame_;
    receiver_ = 0;
    wake_ = nullptr;
    detached_since_ = Clock::now();
  }
  return batch;
}

void SockJsSession::detach(std::uint64_t token, bool interrupted) {
  {
    std::lock_guard lock(mutex_);
    if (token == 0 || token != receiver_) return;
    receiver_ = 0;
    wake_ = nullptr;
    detached_since_ = Clock::now();
    // Messages may have been lost with the request: the client must start
    // over (and catch up), so the session ends here, as SockJS says.
    if (interrupted) close_locked(1002, "Connection interrupted");
  }
  // watch() slept a whole disconnect_delay while a receiver was attached:
  // let it count from now instead.
  asio::post(strand_, [self = shared_from_this()] { self->watch_timer_.cancel(); });
}

std::string SockJsSession::close_frame() const {
  std::lock_guard lock(mutex_);
  return close_frame_;
}

SockJsSession::Push SockJsSession::push(std::vector<std::string> messages) {
  std::size_t bytes = 0;
  for (const auto& m : messages) bytes += m.size();
  {
    std::lock_guard lock(mutex_);
    if (!close_frame_.empty()) return Push::closed;
    if (inbound_bytes_ + bytes > limits_.max_inbound_bytes) return Push::overloaded;
    inbound_bytes_ += bytes;
    for (auto& m : messages) inbound_.push_back(std::move(m));
  }
  wake_reader();
  return Push::ok;
}

void SockJsSession::close_locked(int code, std::string_view reason) {
  if (!close_frame_.empty()) return;
  close_frame_ = sockjs::close_frame(code, reason);
  wake_receiver_locked();
  wake_reader();
}

void SockJsSession::wake_receiver_locked() {
  if (wake_) wake_();
}

void SockJsSession::wake_reader() {
  // The reader sleeps on the strand; a cancel posted there reaches it even
  // when it is about to sleep (it re-checks the queue before each wait).
  asio::post(strand_, [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->reader_timer_.cancel();
  });
}

// ---- Transport (on the strand) ----------------------------------------------

asio::awaitable<std::optional<std::string>> SockJsSession::read(std::chrono::milliseconds timeout) {
  const auto deadline = timeout.count() > 0 ? Clock::now() + timeout : Clock::time_point::max();
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (!inbound_.empty()) {
        // The STOMP parser is incremental: the messages go in as one text.
        std::string text;
        text.reserve(inbound_bytes_);
        for (const auto& m : inbound_) text += m;
        inbound_.clear();
        inbound_bytes_ = 0;
        co_return text;
      }
      if (!close_frame_.empty()) co_return std::nullopt;
    }
    if (Clock::now() >= deadline) {
      spdlog::info("sockjs {}: no data within {} ms, closing", id_, timeout.count());
      co_return std::nullopt;
    }
    reader_timer_.expires_at(deadline);
    co_await reader_timer_.async_wait(kTuple);
  }
}

asio::awaitable<bool> SockJsSession::write(const std::vector<OutFrame>& frames) {
  std::size_t bytes = 0;
  for (const auto& f : frames) bytes += f.size();
  std::lock_guard lock(mutex_);
  if (!close_frame_.empty()) co_return false;
  if (outbound_bytes_ + bytes > limits_.max_queued_bytes) {
    // Nobody fetches: a slow consumer, closed like a WebSocket whose Outbox
    // overflows. The client reconnects and catches up with ?after=.
    spdlog::info("sockjs {}: slow consumer over {} queued bytes, closing", id_, limits_.max_queued_bytes);
    co_return false;
  }
  outbound_bytes_ += bytes;
  outbound_.insert(outbound_.end(), frames.begin(), frames.end());
  wake_receiver_locked();
  co_return true;
}

asio::awaitable<bool> SockJsSession::write_heartbeat() {
  // A STOMP heart-beat is an EOL, sent as a SockJS message of its own.
  static const auto eol = std::make_shared<const std::string>("\n");
  std::vector<OutFrame> frames{OutFrame{eol, nullptr}};
  co_return co_await write(frames);
}

asio::awaitable<void> SockJsSession::close(bool) {
  std::lock_guard lock(mutex_);
  close_locked(3000, "Go away!");
  co_return;
}

// ---- SockJsRegistry ------------------------------------------------------------

std::shared_ptr<SockJsSession> SockJsRegistry::find(std::string_view id) const {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(std::string(id));
  return it == sessions_.end() ? nullptr : it->second;
}

SockJsRegistry::Found SockJsRegistry::find_or_create(std::string_view id,
                                                     const std::function<std::shared_ptr<SockJsSession>()>& make) {
  std::lock_guard lock(mutex_);
  std::string key(id);
  if (auto it = sessions_.find(key); it != sessions_.end()) return {it->second, false};
  if (sessions_.size() >= max_sessions_) return {nullptr, false};
  auto session = make();
  sessions_.emplace(std::move(key), session);
  return {std::move(session), true};
}

void SockJsRegistry::remove(const std::string& id, const SockJsSession* which) {
  std::lock_guard lock(mutex_);
  if (auto it = sessions_.find(id); it != sessions_.end() && it->second.get() == which) sessions_.erase(it);
}

std::size_t SockJsRegistry::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::vector<std::shared_ptr<SockJsSession>> SockJsRegistry::all() const {
  std::vector<std::shared_ptr<SockJsSession>> out;
  std::lock_guard lock(mutex_);
  out.reserve(sessions_.size());
  for (const auto& [id, session] : sessions_) out.push_back(session);
  return out;
}

void SockJsRegistry::clear() {
  std::unordered_map<std::string, std::shared_ptr<SockJsSession>> gone;
  {
    std::lock_guard lock(mutex_);
    gone.swap(sessions_);
  }
}

}  // namespace chattwo::net
