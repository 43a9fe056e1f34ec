#pragma once
// ImageProcessor on libvips: only the JPEG, PNG, WebP and GIF loaders ever
// see an upload (each asked by its own signature check), untrusted loaders
// are blocked outright, dimensions are checked from the header before any
// decoding, and the output is streamed through libvips rather than decoded
// whole where the operation allows it.
#include "chat/image_processor.hpp"

namespace chattwo::media::vips {

class VipsImageProcessor final : public chat::ImageProcessor {
 public:
  /// Starts libvips once per process (thread-safe; later calls reuse it).
  explicit VipsImageProcessor(chat::ImageLimits limits);
  chat::Result<chat::ProcessedImage> process(const std::string& input_path, const std::string& output_dir) override;

 private:
  chat::ImageLimits limits_;
};

}  // namespace chattwo::media::vips
