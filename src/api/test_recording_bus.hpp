#pragma once
// For api/ unit tests: an EventBus that records what is published, with no
// broker behind it.
#include <string>
#include <vector>

#include "chat/event_bus.hpp"

namespace chattwo::api::testing {

class RecordingBus final : public chat::EventBus {
 public:
  void publish(chat::BusEvent event) override { events.push_back(std::move(event)); }
  void set_handler(Handler) override {}
  void add_interest(const std::string&) override {}
  void remove_interest(const std::string&) override {}
  std::vector<chat::BusEvent> events;
};

}  // namespace chattwo::api::testing
