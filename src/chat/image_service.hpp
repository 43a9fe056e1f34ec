#pragma once
// Images: an upload checked and re-encoded (ImageProcessor), its two files
// put in the BlobStore, its record stored (ImageStore); then served only to
// those who may see it, and deleted by a sweep once nothing uses it.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "chat/blob_store.hpp"
#include "chat/clock.hpp"
#include "chat/image.hpp"
#include "chat/image_processor.hpp"
#include "chat/image_store.hpp"
#include "chat/result.hpp"

namespace chattwo::chat {

struct ImageServiceSettings {
  std::string work_dir;  // where uploads are re-encoded (a folder per upload, removed after)
  // An upload nothing uses is deleted by the sweep only after this long:
  // a client uploads first and posts or sets its avatar right after.
  std::chrono::milliseconds unused_grace{std::chrono::hours(1)};
};

/// What GET on an image's url or thumbUrl sends: its bytes or a redirect.
struct ImageDownload {
  Image image;
  std::string content_type;  // of the variant asked for
  BlobLocation location;
};

class ImageService {
 public:
  ImageService(ImageStore& images, BlobStore& blobs, ImageProcessor& processor, Clock& clock, IdGenerator& ids,
               ImageServiceSettings settings);

  /// Stores the upload at `upload_path` (the caller's file; it stays the
  /// caller's) for `uploader_id`: ImageProcessor's errors (415, 413), or
  /// the stores'. All blocking: call from a worker.
  Result<Image> upload(std::string_view uploader_id, const std::string& upload_path);

  /// The image for `viewer_id`, who must be allowed to see it
  /// (ImageStore::can_view); Code::not_found otherwise, exactly as for an
  /// image that does not exist.
  Result<ImageDownload> download(std::string_view viewer_id, std::string_view image_id, ImageVariant variant);

  /// Whether `user_id` may use the image in a message or as an avatar:
  /// only one's own uploads. Code::not_found otherwise (field "imageId").
  Result<Image> usable_by(std::string_view user_id, std::string_view image_id);

  /// Deletes up to `limit` images nothing uses (bytes first, then the
  /// record), uploaded more than the grace period ago. Returns how many.
  std::size_t sweep(std::size_t limit);

 private:
  ImageStore& images_;
  BlobStore& blobs_;
  ImageProcessor& processor_;
  Clock& clock_;
  IdGenerator& ids_;
  ImageServiceSettings settings_;
};

}  // namespace chattwo::chat
