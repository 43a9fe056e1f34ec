#pragma once
// Counters of one I/O thread. Each is written by that thread only (plain
// relaxed load + store, no locked instruction on the delivery path) and
// read by the main thread for the progress line and the summary.
#include <atomic>
#include <cstdint>

#include "histogram.hpp"

namespace chattwo::bench {

/// A counter with one writer thread and any number of readers.
class Counter {
 public:
  void add(std::uint64_t n = 1) { v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  std::uint64_t get() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> v_{0};
};

/// Everything one I/O thread counts, on its own cache lines.
struct alignas(64) ThreadStats {
  Counter ready;            // connections set up (CONNECTED and subscribed)
  Counter failed;           // connections that never got ready
  Counter closed;           // connections that were ready and have ended
  Counter dropped;          // ... of which ended before we asked them to
  Counter sent;             // SEND frames written
  Counter acked;            // RECEIPTs for them
  Counter rejected;         // MESSAGEs on /user/queue/errors (a SEND refused)
  Counter stomp_errors;     // ERROR frames
  Counter delivered;        // MESSAGE event=message with our timestamp
  Counter other_events;     // MESSAGE frames of other events (read, member, ...)
  ConcurrentHistogram latency;  // delivery latency, ns
};

}  // namespace chattwo::bench
