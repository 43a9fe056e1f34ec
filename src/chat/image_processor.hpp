#pragma once
// Port: checking and re-encoding an uploaded image (libvips in media/vips).
// The type is decided by decoding the bytes, never by a file name or a
// declared Content-Type, and nothing of the upload leaves the server as sent:
// the stored image is re-encoded with its orientation applied and no
// metadata (EXIF, GPS, XMP, comments), plus a thumbnail.
#include <cstdint>
#include <string>

#include "chat/result.hpp"

namespace chattwo::chat {

struct ImageLimits {
  std::uint64_t max_pixels = 50'000'000;  // API.md: 50 megapixels (all frames of an animation together)
  int thumbnail_side = 320;               // the thumbnail's longest side, at most
};

/// One encoded image on local disk, ready for a BlobStore.
struct ImageFile {
  std::string path;
  std::string content_type;  // image/jpeg, image/png, image/webp or image/gif
  int width = 0;
  int height = 0;  // of one frame, for an animation
};

struct ProcessedImage {
  ImageFile full;
  ImageFile thumbnail;
};

class ImageProcessor {
 public:
  virtual ~ImageProcessor() = default;
  /// Checks the file at `input_path` and writes the image and its thumbnail
  /// into `output_dir` (which must exist). Code::unsupported_media_type
  /// unless it is a JPEG, PNG, WebP or GIF that decodes;
  /// Code::payload_too_large over max_pixels, judged from the header before
  /// any pixel is decoded (a small file claiming huge dimensions costs
  /// nothing). Blocking and CPU-heavy: call it from a worker.
  virtual Result<ProcessedImage> process(const std::string& input_path, const std::string& output_dir) = 0;
};

}  // namespace chattwo::chat
