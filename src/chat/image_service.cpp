#include "chat/image_service.hpp"

#include <filesystem>
#include <system_error>
#include <utility>

namespace chattwo::chat {
namespace {

namespace fs = std::filesystem;

Error no_such_image() { return Error::not_found("no image with this id that you can see"); }

// Removes the upload's work folder however upload() ends.
struct WorkDir {
  fs::path path;
  ~WorkDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

ImageService::ImageService(ImageStore& images, BlobStore& blobs, ImageProcessor& processor, Clock& clock,
                           IdGenerator& ids, ImageServiceSettings settings)
    : images_(images), blobs_(blobs), processor_(processor), clock_(clock), ids_(ids), settings_(std::move(settings)) {}

Result<Image> ImageService::upload(std::string_view uploader_id, const std::string& upload_path) {
  const std::string id = ids_.next_id();
  WorkDir work{fs::path(settings_.work_dir) / ("upload-" + id)};
  std::error_code ec;
  fs::create_directories(work.path, ec);
  if (ec) return fail(Error::internal("cannot make a work folder for the upload: " + ec.message()));

  auto processed = processor_.process(upload_path, work.path.string());
  if (!processed) return fail(std::move(processed).error());

  const std::string full_key = image_blob_key(id, ImageVariant::full);
  const std::string thumb_key = image_blob_key(id, ImageVariant::thumbnail);
  auto full = blobs_.put(full_key, processed->full.path, processed->full.content_type);
  if (!full) return fail(std::move(full).error());
  auto thumb = blobs_.put(thumb_key, processed->thumbnail.path, processed->thumbnail.content_type);
  if (!thumb) {
    static_cast<void>(blobs_.remove(full_key));  // best effort: these bytes have no record yet
    return fail(std::move(thumb).error());
  }

  Image image;
  image.id = id;
  image.uploader_id = std::string(uploader_id);
  image.content_type = processed->full.content_type;
  image.width = processed->full.width;
  image.height = processed->full.height;
  image.bytes = static_cast<std::int64_t>(full->size);
  image.thumbnail_content_type = processed->thumbnail.content_type;
  image.thumbnail_width = processed->thumbnail.width;
  image.thumbnail_height = processed->thumbnail.height;
  image.created_at_ms = clock_.now_ms();
  // No record, no bytes: bytes without a record would never be swept, so
  // they go whether the insert answers an error or throws (a busy or full
  // disk).
  auto forget_blobs = [&] {
    static_cast<void>(blobs_.remove(full_key));
    static_cast<void>(blobs_.remove(thumb_key));
  };
  try {
    if (auto stored = images_.insert(image); !stored) {
      forget_blobs();
      return fail(std::move(stored).error());
    }
  } catch (...) {
    forget_blobs();
    throw;
  }
  return image;
}

Result<ImageDownload> ImageService::download(std::string_view viewer_id, std::string_view image_id,
                                             ImageVariant variant) {
  if (!images_.can_view(image_id, viewer_id)) return fail(no_such_image());
  auto image = images_.find(image_id);
  if (!image) return fail(no_such_image());
  auto location = blobs_.locate(image_blob_key(image_id, variant));
  if (!location) {
    if (location.error().code == Code::not_found) return fail(no_such_image());  // swept meanwhile
    return fail(std::move(location).error());
  }
  std::string type = variant == ImageVariant::full ? image->content_type : image->thumbnail_content_type;
  return ImageDownload{std::move(*image), std::move(type), std::move(*location)};
}

Result<Image> ImageService::usable_by(std::string_view user_id, std::string_view image_id) {
  auto image = images_.find(image_id);
  if (!image || image->uploader_id != user_id) {
    return fail(Error{Code::not_found, "no image with this id that you uploaded", "imageId"});
  }
  return std::move(*image);
}

std::size_t ImageService::sweep(std::size_t limit) {
  const std::int64_t before = clock_.now_ms() - settings_.unused_grace.count();
  std::size_t removed = 0;
  for (const auto& image : images_.unused(before, limit)) {
    // Bytes first: if removing them fails, the record stays and the next
    // sweep tries again (a record without bytes would be a broken image).
    if (!blobs_.remove(image_blob_key(image.id, ImageVariant::full))) continue;
    if (!blobs_.remove(image_blob_key(image.id, ImageVariant::thumbnail))) continue;
    if (images_.remove(image.id)) ++removed;
  }
  return removed;
}

}  // namespace chattwo::chat
