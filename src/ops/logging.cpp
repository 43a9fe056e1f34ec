#include "ops/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <condition_variable>
#include <stdexcept>
#include <thread>

namespace chattwo::ops {
namespace {

// Log lines wait in memory at most this long before one write(2) takes them
// all: a busy server writes a few times a second instead of once a line.
constexpr auto kFlushInterval = std::chrono::milliseconds(50);
// ...or until this much is waiting.
constexpr std::size_t kFlushBytes = 64 * 1024;
// Past this, new lines are dropped (and counted) rather than letting a
// stuck stderr grow memory or block a network thread.
constexpr std::size_t kMaxBufferedBytes = 4 * 1024 * 1024;

/// A sink that formats on the caller's thread into a bounded buffer and
/// leaves the writing to its own thread. Unlike spdlog's async logger it
/// does not wake that thread per line (a futex wake and a context switch per
/// HTTP request cost 40% of throughput on 2 cores); warnings and errors do
/// wake it, so they appear at once.
class BatchedStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  BatchedStderrSink() : writer_([this] { run(); }) {}
  ~BatchedStderrSink() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    writer_.join();
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {  // mutex_ held
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    if (buffer_.size() + line.size() > kMaxBufferedBytes) {
      ++dropped_;
      return;
    }
    buffer_.append(line.data(), line.size());
    if (buffer_.size() >= kFlushBytes || msg.level >= spdlog::level::warn) wake_.notify_one();
  }
  void flush_() override { wake_.notify_one(); }  // mutex_ held

 private:
  void run() {
    std::string out;
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait_for(lock, kFlushInterval);
      if (dropped_ > 0) {
        buffer_ += "log: " + std::to_string(dropped_) + " line(s) dropped: stderr was not keeping up\n";
        dropped_ = 0;
      }
      out.swap(buffer_);
      const bool stop = stopping_;
      lock.unlock();
      for (std::size_t done = 0; done < out.size();) {
        const ssize_t n = ::write(STDERR_FILENO, out.data() + done, out.size() - done);
        if (n <= 0) break;  // stderr closed: nothing better to do with the lines
        done += static_cast<std::size_t>(n);
      }
      out.clear();
      lock.lock();
      if (stop && buffer_.empty()) return;
    }
  }

  std::string buffer_;
  std::size_t dropped_ = 0;
  bool stopping_ = false;
  std::condition_variable wake_;
  std::thread writer_;  // last: starts after the members it uses
};

void append_json_escaped(spdlog::memory_buf_t& out, spdlog::string_view_t text) {
  for (char c : text) {
    switch (c) {
      case '"': out.append(std::string_view("\\\"")); break;
      case '\\': out.append(std::string_view("\\\\")); break;
      case '\n': out.append(std::string_view("\\n")); break;
      case '\r': out.append(std::string_view("\\r")); break;
      case '\t': out.append(std::string_view("\\t")); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out.push_back(c);
        }
    }
  }
}

/// {"time":"2026-11-25T18:00:00.123Z","level":"info","thread":123,"msg":"..."}
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    using namespace std::chrono;
    const auto ms = duration_cast<milliseconds>(msg.time.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    fmt::format_to(std::back_inserter(dest),
                   R"({{"time":"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z","level":"{}","thread":{},"msg":")",
                   tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                   ms % 1000, spdlog::level::to_string_view(msg.level), msg.thread_id);
    append_json_escaped(dest, msg.payload);
    dest.append(std::string_view("\"}\n"));
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

}  // namespace

void init_logging(LogFormat format, const std::string& level) {
  const auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") {
    throw std::invalid_argument("unknown log level '" + level + "' (trace, debug, info, warn, error, off)");
  }
  auto logger = std::make_shared<spdlog::logger>("chattwo", std::make_shared<BatchedStderrSink>());
  if (format == LogFormat::json) {
    logger->set_formatter(std::make_unique<JsonFormatter>());
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v");
  }
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

void shutdown_logging() { spdlog::shutdown(); }

}  // namespace chattwo::ops
