#include "stomp/broker/outbox.hpp"

namespace chattwo::stomp::broker {

bool Outbox::push(OutFrame frame) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (closed_ || overflowed_) return false;
    const std::size_t size = frame.size();
    if (bytes_ + size > max_bytes_) {
      overflowed_ = true;
      frames_.clear();  // nothing more will be written: free it now
      bytes_ = 0;
      wake = true;
    } else {
      wake = frames_.empty();
      bytes_ += size;
      frames_.push_back(std::move(frame));
    }
  }
  if (wake) wake_();
  return !overflowed();
}

bool Outbox::push_all(const std::shared_ptr<const std::string>& head,
                      const std::vector<std::shared_ptr<const std::string>>& tails) {
  std::size_t size = 0;
  for (const auto& t : tails) size += head->size() + t->size();
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (closed_ || overflowed_) return false;
    if (bytes_ + size > max_bytes_) {
      overflowed_ = true;
      frames_.clear();
      bytes_ = 0;
      wake = true;
    } else {
      wake = frames_.empty();
      bytes_ += size;
      for (const auto& t : tails) frames_.push_back(OutFrame{head, t});
    }
  }
  if (wake) wake_();
  return !overflowed();
}

std::vector<OutFrame> Outbox::take_all() {
  std::vector<OutFrame> out;
  take_all(out);
  return out;
}

void Outbox::take_all(std::vector<OutFrame>& out) {
  std::lock_guard lock(mutex_);
  out.swap(frames_);
  bytes_ = 0;
}

void Outbox::release_idle_capacity() {
  std::lock_guard lock(mutex_);
  if (frames_.empty()) std::vector<OutFrame>().swap(frames_);
}

bool Outbox::overflowed() const {
  std::lock_guard lock(mutex_);
  return overflowed_;
}

void Outbox::request_close() {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    close_requested_ = true;
  }
  wake_();
}

bool Outbox::close_requested() const {
  std::lock_guard lock(mutex_);
  return close_requested_;
}

void Outbox::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  frames_.clear();
  bytes_ = 0;
}

std::size_t Outbox::queued_bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace chattwo::stomp::broker
