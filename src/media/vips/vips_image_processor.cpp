#include "media/vips/vips_image_processor.hpp"

#include <vips/vips.h>

#include <array>
#include <filesystem>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

namespace chattwo::media::vips {
namespace {

struct Unref {
  void operator()(VipsImage* image) const {
    if (image) g_object_unref(image);
  }
};
using Image = std::unique_ptr<VipsImage, Unref>;

// What ChatTwo accepts, and how each is stored again. A GIF keeps its
// frames; its thumbnail is the first frame as a PNG.
struct Format {
  const char* loader;        // libvips loader nickname
  const char* content_type;
  const char* full;          // file name and save options of the stored image
  const char* thumbnail;     // the same for the thumbnail
  const char* thumbnail_type;
};
constexpr std::array<Format, 4> kFormats = {{
    {"jpegload", "image/jpeg", "full.jpg[Q=85,strip,optimize_coding]", "thumb.jpg[Q=80,strip,optimize_coding]",
     "image/jpeg"},
    {"pngload", "image/png", "full.png[strip,compression=6]", "thumb.png[strip]", "image/png"},
    {"webpload", "image/webp", "full.webp[Q=85,strip]", "thumb.webp[Q=80,strip]", "image/webp"},
    {"gifload", "image/gif", "full.gif", "thumb.png[strip]", "image/png"},
}};

// libvips keeps its errors in one buffer for the process: copy and clear
// it under libvips' own lock (uploads run on several workers at once).
std::string take_vips_error() {
  char* copy = vips_error_buffer_copy();
  std::string text = copy ? copy : "";
  g_free(copy);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

chat::Error unsupported() {
  return chat::Error{chat::Code::unsupported_media_type, "the file is not a JPEG, PNG, WebP or GIF image", "file"};
}

void start_vips() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (vips_init("chattwo") != 0) throw std::runtime_error("libvips failed to start: " + take_vips_error());
    // Loaders libvips itself marks as unsafe for untrusted input (ImageMagick
    // and the like) can never run, whatever a file looks like.
    vips_block_untrusted_set(TRUE);
    // No operation cache: every upload is different, and cached pixels are
    // memory held for nobody.
    vips_cache_set_max(0);
    // One thread per image: uploads run in parallel on the workers already.
    vips_concurrency_set(1);
  });
}

// Opens `path` with exactly this format's loader, lazily: only the header
// is read until pixels are asked for.
Image open(const Format& format, const std::string& path, VipsAccess access) {
  VipsImage* out = nullptr;
  const std::string_view loader = format.loader;
  int rc = -1;
  if (loader == "jpegload") {
    rc = vips_jpegload(path.c_str(), &out, "access", access, "fail_on", VIPS_FAIL_ON_ERROR, nullptr);
  } else if (loader == "pngload") {
    rc = vips_pngload(path.c_str(), &out, "access", access, "fail_on", VIPS_FAIL_ON_ERROR, nullptr);
  } else if (loader == "webpload") {
    rc = vips_webpload(path.c_str(), &out, "access", access, "n", -1, "fail_on", VIPS_FAIL_ON_ERROR, nullptr);
  } else if (loader == "gifload") {
    rc = vips_gifload(path.c_str(), &out, "access", access, "n", -1, "fail_on", VIPS_FAIL_ON_ERROR, nullptr);
  }
  if (rc != 0) {
    take_vips_error();
    return nullptr;
  }
  return Image(out);
}

int frame_height(VipsImage* image) {
  const int page = vips_image_get_page_height(image);
  return page > 0 ? page : image->Ysize;
}

}  // namespace

VipsImageProcessor::VipsImageProcessor(chat::ImageLimits limits) : limits_(limits) { start_vips(); }

chat::Result<chat::ProcessedImage> VipsImageProcessor::process(const std::string& input_path,
                                                               const std::string& output_dir) {
  // The type: the first of the four whose signature the bytes carry. No
  // other loader is asked (a file can look like several formats at once).
  const Format* format = nullptr;
  for (const auto& f : kFormats) {
    if (vips_foreign_is_a(f.loader, input_path.c_str())) {
      format = &f;
      break;
    }
  }
  take_vips_error();
  if (!format) return chat::fail(unsupported());

  Image header = open(*format, input_path, VIPS_ACCESS_SEQUENTIAL);
  if (!header) return chat::fail(unsupported());
  // All frames of an animation count: a 1,000-frame GIF of 1,000 x 1,000 is
  // a billion pixels to decode.
  const std::uint64_t pixels = static_cast<std::uint64_t>(header->Xsize) * static_cast<std::uint64_t>(header->Ysize);
  if (pixels > limits_.max_pixels) {
    return chat::fail(chat::Error{chat::Code::payload_too_large,
                                  "the image has " + std::to_string(pixels) + " pixels; at most " +
                                      std::to_string(limits_.max_pixels) + " are accepted",
                                  "file"});
  }

  // Turning needs the whole image (out of order reads); most photos are
  // upright already and stream through in strips.
  Image source = std::move(header);
  if (vips_image_get_orientation(source.get()) > 1) {
    source = open(*format, input_path, VIPS_ACCESS_RANDOM);
    if (!source) return chat::fail(unsupported());
    VipsImage* turned = nullptr;
    if (vips_autorot(source.get(), &turned, nullptr) != 0) {
      take_vips_error();
      return chat::fail(unsupported());
    }
    source.reset(turned);
  }

  namespace fs = std::filesystem;
  const std::string full_spec = (fs::path(output_dir) / format->full).string();
  if (vips_image_write_to_file(source.get(), full_spec.c_str(), nullptr) != 0) {
    // A truncated or corrupt file fails here, when its pixels are decoded.
    take_vips_error();
    return chat::fail(unsupported());
  }
  chat::ProcessedImage out;
  out.full.path = full_spec.substr(0, full_spec.find('['));
  out.full.content_type = format->content_type;
  out.full.width = source->Xsize;
  out.full.height = frame_height(source.get());
  source.reset();

  // The thumbnail from what was just written: a file of ours, upright and
  // without metadata (and a JPEG or WebP shrinks as it loads).
  VipsImage* thumb = nullptr;
  if (vips_thumbnail(out.full.path.c_str(), &thumb, limits_.thumbnail_side, "height", limits_.thumbnail_side, "size",
                     VIPS_SIZE_DOWN, nullptr) != 0) {
    take_vips_error();  // its text names server paths: not for the client
    return chat::fail(chat::Error::internal("the thumbnail could not be made"));
  }
  Image thumbnail(thumb);
  const std::string thumb_spec = (fs::path(output_dir) / format->thumbnail).string();
  if (vips_image_write_to_file(thumbnail.get(), thumb_spec.c_str(), nullptr) != 0) {
    take_vips_error();  // its text names server paths: not for the client
    return chat::fail(chat::Error::internal("the thumbnail could not be made"));
  }
  out.thumbnail.path = thumb_spec.substr(0, thumb_spec.find('['));
  out.thumbnail.content_type = format->thumbnail_type;
  out.thumbnail.width = thumbnail->Xsize;
  out.thumbnail.height = frame_height(thumbnail.get());
  return out;
}

}  // namespace chattwo::media::vips
