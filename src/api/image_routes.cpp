// /api/v1/images: upload (multipart/form-data, streamed to a file, never
// whole in memory) and download (the bytes with ETag and Range, or a
// redirect to S3/CloudFront), each only for whom API.md allows.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "api/byte_ranges.hpp"
#include "api/multipart_parser.hpp"
#include "api/presenters.hpp"
#include "api/problem.hpp"
#include "api/routes.hpp"
#include "base/ulid.hpp"

namespace chattwo::api {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kMaxImageBytes = 10 * 1024 * 1024;  // API.md: at most 10 MiB
// The multipart framing around the file (boundaries, part headers, small
// fields) on top of it; the file itself is counted exactly by the sink.
constexpr std::size_t kMaxUploadBody = kMaxImageBytes + 64 * 1024;

Response image_created(const chat::Image& image) {
  Response r = json_response(201, image_json(image));
  r.set_header("Location", image_url(image.id, chat::ImageVariant::full));
  return r;
}

// Receives the body of one upload: parses the multipart stream as it comes
// and writes the part named "file" to a temporary file, counting its bytes
// against the 10 MiB; at the end hands the file to ImageService. The file is
// removed however the upload ends (the sink's destructor).
class UploadSink final : public BodySink, private MultipartSink {
 public:
  UploadSink(ApiContext& ctx, chat::Caller caller, std::string boundary)
      : ctx_(ctx), caller_(std::move(caller)), parser_(boundary, *this) {
    path_ = (fs::path(ctx.upload_dir) / ("upload-" + base::make_ulid(ctx.clock.now_ms()) + ".part")).string();
  }
  ~UploadSink() override {
    if (file_) std::fclose(file_);
    std::error_code ec;
    fs::remove(path_, ec);
  }

  std::optional<Response> write(std::string_view chunk) override {
    if (auto error = parser_.feed(chunk)) return multipart_problem(*error);
    if (refusal_) return std::move(refusal_);
    return std::nullopt;
  }

  Response finish() override {
    if (auto error = parser_.finish()) return multipart_problem(*error);
    if (refusal_) return std::move(*refusal_);
    if (!file_done_) return problem(chat::Code::validation, "the form has no file part named \"file\"");
    auto image = ctx_.images.upload(caller_.user.id, path_);
    if (!image) return to_problem(image.error());
    return image_created(*image);
  }

 private:
  void on_part_begin(const PartHeaders& part) override {
    in_file_ = part.name == "file" && part.is_file() && !file_done_;
    if (!in_file_) return;
    file_ = std::fopen(path_.c_str(), "wb");
    if (!file_) refuse(problem(chat::Code::internal, "cannot store the upload"));
  }
  void on_part_data(std::string_view bytes) override {
    if (!in_file_ || !file_ || refusal_) return;
    written_ += bytes.size();
    if (written_ > kMaxImageBytes) {
      refuse(problem(chat::Code::payload_too_large, "the image is over 10 MiB"));
      return;
    }
    if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
      refuse(problem(chat::Code::internal, "cannot store the upload"));
    }
  }
  void on_part_end() override {
    if (!in_file_) return;
    in_file_ = false;
    // fclose is where a full disk shows: the upload is lost, not malformed.
    if (file_ && std::fclose(file_) != 0) refuse(problem(chat::Code::internal, "cannot store the upload"));
    else if (file_ && !refusal_) file_done_ = true;
    file_ = nullptr;
  }
  void on_body_end() override {}

  void refuse(Response r) {
    if (!refusal_) refusal_ = std::move(r);
  }
  static Response multipart_problem(MultipartError error) {
    return problem(error == MultipartError::field_too_large ? chat::Code::payload_too_large : chat::Code::validation,
                   "the multipart/form-data body is not valid: " + std::string(describe(error)));
  }

  ApiContext& ctx_;
  chat::Caller caller_;
  MultipartParser parser_;
  std::string path_;
  std::FILE* file_ = nullptr;
  bool in_file_ = false;
  bool file_done_ = false;
  std::uint64_t written_ = 0;
  std::optional<Response> refusal_;
};

BodyOpening open_upload(ApiContext& ctx, Request& req) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  auto boundary = boundary_from_content_type(req.header("content-type"));
  if (!boundary) {
    return problem(chat::Code::unsupported_media_type,
                   "send the image as multipart/form-data with a part named \"file\"");
  }
  return std::unique_ptr<BodySink>(std::make_unique<UploadSink>(ctx, std::move(*caller), std::move(*boundary)));
}

Response download(ApiContext& ctx, Request& req, chat::ImageVariant variant) {
  auto caller = ctx.auth.authenticate(req);
  if (!caller) return to_problem(caller.error());
  auto found = ctx.images.download(caller->user.id, req.path_params.at("id"), variant);
  if (!found) return to_problem(found.error());
  if (auto* redirect = std::get_if<chat::BlobRedirect>(&found->location)) {
    Response r;
    r.status = 302;
    r.set_header("Location", redirect->url);
    // The redirect may be cached only while its URL still works.
    const auto seconds = redirect->valid_for.count();
    r.set_header("Cache-Control", seconds > 0 ? "private, max-age=" + std::to_string(seconds > 30 ? seconds - 30 : 0)
                                              : std::string("private, max-age=31536000, immutable"));
    return r;
  }
  auto& blob = std::get<chat::LocalBlob>(found->location);
  blob.info.content_type = found->content_type;
  Response r = blob_response(req, std::move(blob));
  // An image's bytes never change (a new image is a new id); private: only
  // its viewers may have it, so no shared cache keeps it. Not on a 416.
  if (r.status == 200 || r.status == 206 || r.status == 304) {
    r.set_header("Cache-Control", "private, max-age=31536000, immutable");
  }
  return r;
}

}  // namespace

std::vector<Route> image_routes(ApiContext& ctx) {
  Route upload{Method::post, "/api/v1/images", nullptr, kMaxUploadBody, Runs::on_media_workers};
  upload.open_body = [&ctx](Request& req) { return open_upload(ctx, req); };
  return {
      std::move(upload),
      {Method::get, "/api/v1/images/{id}", [&ctx](Request& req) { return download(ctx, req, chat::ImageVariant::full); }},
      {Method::get, "/api/v1/images/{id}/thumb",
       [&ctx](Request& req) { return download(ctx, req, chat::ImageVariant::thumbnail); }},
  };
}

}  // namespace chattwo::api
