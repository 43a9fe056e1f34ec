#pragma once
// A SockJS session over HTTP (xhr, xhr-streaming, eventsource), and the
// registry that finds sessions by id. net-private: it names Asio types;
// include only from net/ .cpp files.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "stomp/broker/session_context.hpp"
#include "stomp/broker/transport.hpp"

namespace chattwo::net {

struct SockJsLimits {
  // Outbound bytes a session holds for its next receiving request (between
  // two polls, or while a stream reconnects). Over it, the session counts as
  // a slow consumer and closes, as a WebSocket's Outbox does: the same
  // 256 KiB (SessionLimits::max_queued_bytes), so SockJS adds at most that
  // much again per session.
  std::size_t max_queued_bytes = 256 * 1024;
  // Client bytes sent with xhr_send and not yet read by the STOMP session:
  // one xhr_send body (1 MiB) fits; a client flooding faster than its STOMP
  // session works is refused (503) instead of queued without end.
  std::size_t max_inbound_bytes = 1 << 20;
  // SockJS's disconnect_delay: a session with no receiving request for this
  // long is over (its STOMP session ends, its subscriptions go).
  std::chrono::milliseconds disconnect_delay{5'000};
  // Sessions at once, over all clients: each holds a STOMP session, so this
  // bounds memory the way ServerSettings::max_connections does for sockets.
  std::size_t max_sessions = 10'000;
};

/// One SockJS session: a STOMP session (serve_stomp on the session's own
/// strand, with this object as its Transport), the messages queued for the
/// client, the messages the client sent, and at most one receiving request
/// at a time. Receivers and senders call in from any thread; the Transport
/// side runs on the session's strand.
class SockJsSession final : public stomp::broker::Transport, public std::enable_shared_from_this<SockJsSession> {
 public:
  SockJsSession(std::string id, boost::asio::any_io_executor strand, SockJsLimits limits);
  ~SockJsSession() override;

  const std::string& id() const { return id_; }

  /// Starts the STOMP session (signing in with `cookie_secret` when CONNECT
  /// carries no bearer token) and the watch that ends the session after
  /// disconnect_delay without a receiver. `on_stomp_end` runs (on the
  /// session's strand) once the STOMP session is over and has left the hub;
  /// `on_gone` when the session is over for good: it removes it from the registry.
  void start(stomp::broker::SessionContext& ctx, std::string cookie_secret, std::function<void()> on_stomp_end,
             std::function<void()> on_gone);
  /// Closes the session (the server is shutting down): receivers get the
  /// close frame, the STOMP session ends. Any thread.
  void shut_down();

  // ---- receiving requests (any thread) ----
  enum class Attach {
    opened,    // the first receiver: send the open frame `o` first
    attached,  // take() and wait
    busy,      // another receiver is attached: send c[2010,...]
    closed,    // send close_frame()
  };
  struct Receiver {
    Attach outcome;
    std::uint64_t token = 0;  // for take() and detach() when attached
  };
  /// Makes the caller the receiving request, unless another one is. `wake`
  /// is called, under the session's lock, when there is something to take;
  /// it must only schedule (post), never block or call back in.
  Receiver attach(std::function<void()> wake);
  struct Batch {
    std::vector<stomp::broker::OutFrame> messages;  // the client's next messages, in order
    std::string close;                              // when closed and nothing is left: the close frame
  };
  /// Everything queued for the client. Once it hands out the close frame the
  /// receiver is detached (a next request gets the close frame too, not 2010).
  Batch take(std::uint64_t token);
  /// The receiving request is over. `interrupted`: it failed (the client went
  /// away mid-request): the session closes, as SockJS says (1002).
  void detach(std::uint64_t token, bool interrupted);
  /// The close frame (`c[3000,"Go away!"]`, ...); empty while open.
  std::string close_frame() const;

  // ---- xhr_send (any thread) ----
  enum class Push { ok, closed, overloaded };
  Push push(std::vector<std::string> messages);

  // ---- stomp::broker::Transport: for serve_stomp, on the session's strand ----
  boost::asio::awaitable<std::optional<std::string>> read(std::chrono::milliseconds timeout) override;
  boost::asio::awaitable<bool> write(const std::vector<stomp::broker::OutFrame>& frames) override;
  boost::asio::awaitable<bool> write_heartbeat() override;
  boost::asio::awaitable<void> close(bool going_away) override;

 private:
  using Clock = std::chrono::steady_clock;
  boost::asio::awaitable<void> run(stomp::broker::SessionContext& ctx, std::string cookie_secret,
                                   std::function<void()> on_stomp_end);
  boost::asio::awaitable<void> watch(std::function<void()> on_gone);
  // Under mutex_:
  void close_locked(int code, std::string_view reason);
  void wake_receiver_locked();
  void wake_reader();  // any thread

  const std::string id_;
  const boost::asio::any_io_executor strand_;
  const SockJsLimits limits_;
  boost::asio::steady_timer reader_timer_;  // strand: read() sleeps on it
  boost::asio::steady_timer watch_timer_;   // strand: watch() sleeps on it

  mutable std::mutex mutex_;
  bool open_sent_ = false;
  std::string close_frame_;  // set once: the session is closed
  std::vector<stomp::broker::OutFrame> outbound_;
  std::size_t outbound_bytes_ = 0;
  std::vector<std::string> inbound_;
  std::size_t inbound_bytes_ = 0;
  std::uint64_t receiver_ = 0;  // the attached receiver's token; 0: none
  std::uint64_t next_token_ = 1;
  std::function<void()> wake_;  // the attached receiver's
  Clock::time_point detached_since_;
};

/// The live sessions by id. Thread-safe and bounded.
class SockJsRegistry {
 public:
  explicit SockJsRegistry(std::size_t max_sessions) : max_sessions_(max_sessions) {}

  std::shared_ptr<SockJsSession> find(std::string_view id) const;
  struct Found {
    std::shared_ptr<SockJsSession> session;  // null: the registry is full
    bool created = false;
  };
  /// The session `id`, made by `make` (under the registry's lock, so it must
  /// not block) when there is none.
  Found find_or_create(std::string_view id, const std::function<std::shared_ptr<SockJsSession>()>& make);
  /// Removes `id` if it is still `which`.
  void remove(const std::string& id, const SockJsSession* which);
  std::size_t size() const;
  /// Every session, for a shutdown.
  std::vector<std::shared_ptr<SockJsSession>> all() const;
  /// Drops every session (the server is going away).
  void clear();

 private:
  const std::size_t max_sessions_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<SockJsSession>> sessions_;
};

}  // namespace chattwo::net
