#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "chat/image.hpp"
#include "chat/result.hpp"

namespace chattwo::chat {

/// Port: what is known of uploaded images, and who may see them (SQLite by
/// default; MySQL when scaled out). Methods block: call from a worker.
class ImageStore {
 public:
  virtual ~ImageStore() = default;

  /// Stores a new image's record. Code::not_found when the uploader does
  /// not exist; Code::conflict for a repeated id.
  virtual Result<void> insert(const Image& image) = 0;
  virtual std::optional<Image> find(std::string_view image_id) = 0;

  /// Whether `viewer_id` may see the image (API.md): they uploaded it, or it
  /// is in a message of a room they are a member of, or it is someone's
  /// avatar (any signed-in user sees avatars).
  virtual bool can_view(std::string_view image_id, std::string_view viewer_id) = 0;

  /// Images nothing uses — no message, no avatar — uploaded before
  /// `uploaded_before_ms` (fresh uploads are about to be used), at most
  /// `limit`, oldest first: what the sweep deletes.
  virtual std::vector<Image> unused(std::int64_t uploaded_before_ms, std::size_t limit) = 0;
  /// Deletes the record (the blobs are the caller's). True if it existed.
  virtual bool remove(std::string_view image_id) = 0;
};

}  // namespace chattwo::chat
