#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chattwo::chat {

/// An uploaded image, as stored: re-encoded, with a thumbnail. The bytes
/// live in a BlobStore under image_blob_key(); this is what is known of them.
struct Image {
  std::string id;  // ULID
  std::string uploader_id;
  std::string content_type;  // image/jpeg, image/png, image/webp or image/gif
  int width = 0;
  int height = 0;
  std::int64_t bytes = 0;
  std::string thumbnail_content_type;
  int thumbnail_width = 0;
  int thumbnail_height = 0;
  std::int64_t created_at_ms = 0;
};

enum class ImageVariant { full, thumbnail };

/// "img/<id>/full" or "img/<id>/thumb": where an image's bytes are kept.
inline std::string image_blob_key(std::string_view image_id, ImageVariant variant) {
  std::string key = "img/";
  key += image_id;
  key += variant == ImageVariant::full ? "/full" : "/thumb";
  return key;
}

}  // namespace chattwo::chat
