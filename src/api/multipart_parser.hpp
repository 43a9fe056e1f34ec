#pragma once
// Streaming multipart/form-data parser (RFC 7578 over RFC 2046) for uploads
// such as POST /api/v1/images: the body arrives in reads of any size, split
// at any byte, and a file part's bytes go out as views into those reads, so
// a route can stream them to a temporary file and never hold the whole file.
// Pure: no I/O, no Beast; memory is bounded by the header limit whatever the
// input, and the work is linear in the input however it is split.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace chattwo::api {

struct MultipartLimits {
  // One part's header block, blank line included. Browsers send ~150 bytes
  // (Content-Disposition with a file name, Content-Type); 8 KiB leaves room
  // for long UTF-8 file names and still bounds what a part can make us hold.
  std::size_t max_header_bytes = 8 * 1024;
  // Parts in one body. The image upload form has one field; a few more are
  // tolerated so a client may send extras we ignore, not thousands.
  std::size_t max_parts = 16;
  // Bytes of all parts without a filename together: a route keeps those in
  // memory (text fields), unlike file parts, which it streams.
  std::size_t max_field_bytes = 64 * 1024;
};

enum class MultipartError {
  malformed,          // not multipart/form-data: a bad delimiter or header line, header folding, a bad boundary
  header_too_large,   // one part's header block is over max_header_bytes
  too_many_parts,     // more than max_parts parts
  field_too_large,    // the non-file parts together are over max_field_bytes
  bad_disposition,    // a part without "Content-Disposition: form-data" and a non-empty name (RFC 7578 4.2)
  truncated,          // the input ended before the closing delimiter
};

/// Words for a problem+json detail.
std::string_view describe(MultipartError e);

/// What a part's headers say about it. Other headers are ignored
/// (RFC 7578 4.7: Content-Transfer-Encoding is deprecated).
struct PartHeaders {
  std::string name;                     // Content-Disposition's name parameter, never empty
  std::optional<std::string> filename;  // present (possibly "") exactly when the part is a file
  std::string content_type;             // as sent, "" when absent (RFC 7578 4.4: then text/plain)

  bool is_file() const { return filename.has_value(); }
  bool operator==(const PartHeaders&) const = default;
};

/// Where a MultipartParser's events go, in body order: for each part
/// on_part_begin, on_part_data zero or more times, on_part_end; then
/// on_body_end once, at the closing delimiter. A view passed to
/// on_part_data is valid only during the call: it points into the chunk
/// being fed or into the parser.
class MultipartSink {
 public:
  virtual void on_part_begin(const PartHeaders& part) = 0;
  virtual void on_part_data(std::string_view bytes) = 0;  // never empty
  virtual void on_part_end() = 0;
  virtual void on_body_end() = 0;

 protected:
  ~MultipartSink() = default;
};

/// The boundary parameter of a Content-Type header value, if the value is
/// `multipart/form-data` (any case) with exactly one boundary, token or
/// quoted, of 1 to 70 characters from RFC 2046's bchars. nullopt otherwise.
std::optional<std::string> boundary_from_content_type(std::string_view content_type);

/// Parses one multipart/form-data body fed in chunks. Never throws on any
/// input; errors are values, and after one the parser stays failed: every
/// later feed() or finish() returns the same error and reports nothing.
class MultipartParser {
 public:
  /// `boundary` as boundary_from_content_type gives it; an invalid one
  /// makes every feed() fail with `malformed`. `sink` must outlive the parser.
  MultipartParser(std::string_view boundary, MultipartSink& sink, MultipartLimits limits = {});

  /// Parses the next bytes of the body and reports what they complete to
  /// the sink before returning. The preamble before the first delimiter and
  /// the epilogue after the closing one are ignored (RFC 2046 5.1.1).
  /// A caller that has seen enough (say, a file over its size limit) just
  /// stops feeding. Throws only what the sink throws; the parser is then
  /// unusable.
  std::optional<MultipartError> feed(std::string_view chunk);

  /// Ends the input: `truncated` unless the closing delimiter was seen.
  std::optional<MultipartError> finish();

  /// True once the closing delimiter has been seen (on_body_end was called).
  bool complete() const { return state_ == State::epilogue; }

  /// Bytes held between calls (for memory accounting): at most
  /// max_header_bytes, whatever the input.
  std::size_t buffered() const { return header_block_.size(); }

 private:
  enum class State {
    preamble,          // before the first delimiter: bytes are dropped
    part_data,         // a part's content: bytes go to on_part_data
    after_delimiter,   // "CRLF--boundary" seen; the next bytes say whether it delimits
    after_dash,        // ... then "-": a second "-" closes the body
    after_cr,          // ... then CR: LF starts the next part
    padding,           // ... then SP/HTAB: a delimiter for sure; more padding, then CRLF
    padding_cr,        // ... padding then CR: LF must follow
    headers,           // a part's header block, up to the blank line
    epilogue,          // after the closing delimiter: bytes are dropped
    failed,
  };

  std::size_t scan_content(std::string_view chunk, std::size_t pos);
  std::size_t read_headers(std::string_view chunk, std::size_t pos);
  bool classify_delimiter(char c);
  void not_a_delimiter(std::string_view held_after);
  bool emit_content(std::string_view bytes);
  void start_part();
  void begin_part();
  std::optional<MultipartError> fail(MultipartError e);

  MultipartSink& sink_;
  const MultipartLimits limits_;
  const std::string delimiter_;    // "\r\n--" + boundary
  State state_ = State::preamble;
  State content_state_ = State::preamble;  // where a false delimiter's bytes belong
  std::size_t matched_ = 0;        // delimiter bytes seen but not yet known to be one (held in delimiter_)
  std::string header_block_;       // the current part's header lines so far
  std::size_t line_start_ = 0;     // where the unfinished header line begins in header_block_
  std::size_t parts_ = 0;
  std::size_t field_bytes_ = 0;
  bool in_file_part_ = false;
  std::optional<MultipartError> error_;
};

}  // namespace chattwo::api
