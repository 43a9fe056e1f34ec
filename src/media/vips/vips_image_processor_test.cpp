// The image checks with real files made by libvips itself: each accepted
// format round-trips with the right dimensions, orientation is applied and
// metadata is gone, and what is not an image, is broken, or claims too many
// pixels is refused before it costs anything.
#include "media/vips/vips_image_processor.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <vips/vips.h>
#include <zlib.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace {

using chattwo::chat::Code;
using chattwo::chat::ImageLimits;
using chattwo::media::vips::VipsImageProcessor;
namespace fs = std::filesystem;

class VipsImages : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("chattwo-vips-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "out");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A test picture: a gradient, so that encoders have something to encode.
  VipsImage* picture(int width, int height) {
    VipsImage* x = nullptr;
    EXPECT_EQ(vips_xyz(&x, width, height, nullptr), 0);
    VipsImage* band = nullptr;
    EXPECT_EQ(vips_extract_band(x, &band, 0, nullptr), 0);
    g_object_unref(x);
    VipsImage* rgb = nullptr;
    VipsImage* bands[3] = {band, band, band};
    EXPECT_EQ(vips_bandjoin(bands, &rgb, 3, nullptr), 0);
    g_object_unref(band);
    VipsImage* uchar = nullptr;
    EXPECT_EQ(vips_cast_uchar(rgb, &uchar, nullptr), 0);
    g_object_unref(rgb);
    return uchar;
  }

  std::string write(VipsImage* image, const std::string& spec) {
    const std::string path = (dir_ / spec).string();
    EXPECT_EQ(vips_image_write_to_file(image, path.c_str(), nullptr), 0) << vips_error_buffer();
    g_object_unref(image);
    return path.substr(0, path.find('['));
  }

  std::string out() const { return (dir_ / "out").string(); }

  fs::path dir_;
  VipsImageProcessor processor_{ImageLimits{}};
};

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST_F(VipsImages, EachFormatRoundTripsWithItsDimensionsAndAThumbnail) {
  struct Case {
    std::string spec, type, thumb_type;
  };
  for (const Case& c : {Case{"in.png", "image/png", "image/png"}, Case{"in.jpg", "image/jpeg", "image/jpeg"},
                        Case{"in.webp", "image/webp", "image/webp"}, Case{"in.gif", "image/gif", "image/png"}}) {
    SCOPED_TRACE(c.spec);
    // A misleading name must not matter: the bytes decide.
    const std::string written = write(picture(800, 600), c.spec);
    const std::string misnamed = (dir_ / ("upload-" + c.spec + ".txt")).string();
    fs::rename(written, misnamed);
    fs::remove_all(out());
    fs::create_directories(out());
    auto result = processor_.process(misnamed, out());
    ASSERT_TRUE(result) << result.error().detail;
    EXPECT_EQ(result->full.content_type, c.type);
    EXPECT_EQ(result->full.width, 800);
    EXPECT_EQ(result->full.height, 600);
    EXPECT_TRUE(fs::exists(result->full.path));
    EXPECT_EQ(result->thumbnail.content_type, c.thumb_type);
    EXPECT_EQ(result->thumbnail.width, 320);
    EXPECT_EQ(result->thumbnail.height, 240);
    EXPECT_TRUE(fs::exists(result->thumbnail.path));
  }
}

TEST_F(VipsImages, SmallImagesAreNotEnlarged) {
  auto result = processor_.process(write(picture(100, 40), "small.png"), out());
  ASSERT_TRUE(result) << result.error().detail;
  EXPECT_EQ(result->thumbnail.width, 100);
  EXPECT_EQ(result->thumbnail.height, 40);
}

TEST_F(VipsImages, OrientationIsAppliedAndExifAndGpsAreGone) {
  VipsImage* image = picture(400, 200);
  vips_image_set_int(image, VIPS_META_ORIENTATION, 6);  // "rotate 90° clockwise to view"
  vips_image_set_string(image, "exif-ifd3-GPSLatitudeRef", "N");
  vips_image_set_string(image, "exif-ifd3-GPSLatitude", "37/1 33/1 0/1");
  const std::string path = write(image, "phone.jpg[Q=90]");
  ASSERT_NE(read_all(path).find("Exif"), std::string::npos) << "the test file should carry EXIF";

  auto result = processor_.process(path, out());
  ASSERT_TRUE(result) << result.error().detail;
  EXPECT_EQ(result->full.width, 200);  // turned upright
  EXPECT_EQ(result->full.height, 400);
  for (const auto& stored : {result->full.path, result->thumbnail.path}) {
    const std::string bytes = read_all(stored);
    EXPECT_EQ(bytes.find("Exif"), std::string::npos) << stored;
    EXPECT_EQ(bytes.find("GPS"), std::string::npos) << stored;
    VipsImage* back = vips_image_new_from_file(stored.c_str(), nullptr);
    ASSERT_NE(back, nullptr);
    EXPECT_FALSE(vips_image_get_typeof(back, VIPS_META_EXIF_NAME)) << stored;
    EXPECT_EQ(vips_image_get_orientation(back), 1);
    g_object_unref(back);
  }
}

TEST_F(VipsImages, TextCalledPngIsUnsupported) {
  const std::string path = (dir_ / "notes.png").string();
  std::ofstream(path) << "\x89PNG? no, just some text pretending to be an image\n";
  auto result = processor_.process(path, out());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::unsupported_media_type);
}

TEST_F(VipsImages, TruncatedImagesAreUnsupported) {
  const std::string path = write(picture(600, 600), "cut.jpg[Q=90]");
  const std::string bytes = read_all(path);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() / 2);
  auto result = processor_.process(path, out());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::unsupported_media_type);
}

// A pixel flood: a tiny PNG whose header claims 60,000 x 60,000 (3.6
// gigapixels). Refused from the header, before anything is decoded.
TEST_F(VipsImages, APixelFloodIsRefusedFromItsHeader) {
  std::string png = read_all(write(picture(1, 1), "dot.png"));
  // Signature (8), then the IHDR chunk: length (4), "IHDR", width, height, ..., CRC.
  ASSERT_EQ(png.substr(12, 4), "IHDR");
  auto put32 = [&](std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) png[at + i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
  };
  put32(16, 60000);
  put32(20, 60000);
  const auto crc = crc32(0, reinterpret_cast<const Bytef*>(png.data() + 12), 17);
  put32(29, static_cast<std::uint32_t>(crc));
  const std::string path = (dir_ / "flood.png").string();
  std::ofstream(path, std::ios::binary) << png;

  auto result = processor_.process(path, out());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::payload_too_large);
  EXPECT_TRUE(fs::is_empty(out()));
}

TEST_F(VipsImages, ThePixelLimitCountsEveryPixel) {
  VipsImageProcessor strict(ImageLimits{.max_pixels = 10'000, .thumbnail_side = 320});
  EXPECT_TRUE(strict.process(write(picture(100, 100), "ok.png"), out()));
  auto over = strict.process(write(picture(101, 100), "over.png"), out());
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, Code::payload_too_large);
}

}  // namespace
