#pragma once
// A MultipartSink for tests and the fuzz target: keeps every part with its
// data joined, so that parses of the same body fed in different splits can
// be compared with ==, and notes any event that comes out of order.
#include <string>
#include <string_view>
#include <vector>

#include "api/multipart_parser.hpp"

namespace chattwo::api {

struct RecordedPart {
  PartHeaders headers;
  std::string data;
  bool ended = false;

  bool operator==(const RecordedPart&) const = default;
};

class MultipartRecording final : public MultipartSink {
 public:
  std::vector<RecordedPart> parts;
  bool body_ended = false;
  bool out_of_order = false;  // an event the sink's contract does not allow where it came

  void on_part_begin(const PartHeaders& part) override {
    if (body_ended || in_part()) out_of_order = true;
    parts.push_back({part, {}, false});
  }
  void on_part_data(std::string_view bytes) override {
    if (!in_part() || bytes.empty()) {
      out_of_order = true;
      return;
    }
    parts.back().data += bytes;
  }
  void on_part_end() override {
    if (!in_part()) out_of_order = true;
    if (!parts.empty()) parts.back().ended = true;
  }
  void on_body_end() override {
    if (body_ended || in_part()) out_of_order = true;
    body_ended = true;
  }

  bool operator==(const MultipartRecording& o) const {
    return parts == o.parts && body_ended == o.body_ended && out_of_order == o.out_of_order;
  }

 private:
  bool in_part() const { return !parts.empty() && !parts.back().ended; }
};

}  // namespace chattwo::api
