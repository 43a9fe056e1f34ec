// ImageService on its real adapters: SQLite, the folder blob store and
// libvips. Upload, who may download, using one's own images only, and the
// sweep of what nothing uses.
#include "chat/image_service.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <vips/vips.h>

#include <filesystem>
#include <fstream>

#include "chat/test_fakes.hpp"
#include "media/fs/fs_blob_store.hpp"
#include "media/vips/vips_image_processor.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/sqlite_image_store.hpp"
#include "store/sqlite/sqlite_message_store.hpp"
#include "store/sqlite/sqlite_room_store.hpp"
#include "store/sqlite/sqlite_user_store.hpp"

using namespace chattwo;
using namespace chattwo::chat;
namespace fs = std::filesystem;

namespace {

struct Images : ::testing::Test {
  fs::path dir = fs::temp_directory_path() / ("chattwo-images-" + std::to_string(::getpid()) + "-" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  chat::testing::FakeClock clock_;
  chat::testing::SequentialIds ids_;
  store::sqlite::Database db{store::sqlite::DatabaseSettings{":memory:"}, clock_.now_ms()};
  store::sqlite::SqliteUserStore users{db};
  store::sqlite::SqliteRoomStore rooms{db};
  store::sqlite::SqliteMessageStore messages{db};
  store::sqlite::SqliteImageStore image_store{db};
  media::fs::FsBlobStore blobs{{(dir / "blobs").string()}};
  media::vips::VipsImageProcessor processor{ImageLimits{}};
  ImageService images{image_store, blobs, processor, clock_, ids_, {(dir / "work").string(), std::chrono::hours(1)}};

  void SetUp() override {
    chat::testing::add_users(users, clock_, {"ann", "ben", "cho"});
    Room room;
    room.id = "r1";
    room.kind = RoomKind::group;
    room.name = "사진";
    room.created_at_ms = clock_.now_ms();
    room.members = {{"ann", 1, 0}, {"ben", 1, 0}};
    ASSERT_TRUE(rooms.insert(room));
  }
  void TearDown() override { fs::remove_all(dir); }

  std::string png(int width, int height) {
    VipsImage* black = nullptr;
    EXPECT_EQ(vips_black(&black, width, height, "bands", 3, nullptr), 0);
    const std::string path = (dir / ("in-" + std::to_string(width) + "x" + std::to_string(height) + ".png")).string();
    EXPECT_EQ(vips_image_write_to_file(black, path.c_str(), nullptr), 0);
    g_object_unref(black);
    return path;
  }

  std::string read_blob(const ImageDownload& d) {
    const auto& local = std::get<LocalBlob>(d.location);
    std::string bytes(local.info.size, '\0');
    auto n = local.reader->read(0, std::span<char>(bytes.data(), bytes.size()));
    EXPECT_TRUE(n);
    return bytes;
  }

  void post(const std::string& image_id) {
    Message m;
    m.id = ids_.next_id();
    m.room_id = "r1";
    m.sender_id = "ann";
    m.type = MessageType::image;
    m.image_id = image_id;
    m.client_msg_id = m.id;
    m.created_at_ms = clock_.now_ms();
    ASSERT_TRUE(messages.append(m));
  }
};

}  // namespace

TEST_F(Images, AnUploadIsStoredWithItsThumbnailAndServedToItsUploader) {
  const std::string upload = png(1000, 500);
  auto image = images.upload("ann", upload);
  ASSERT_TRUE(image) << image.error().detail;
  EXPECT_EQ(image->content_type, "image/png");
  EXPECT_EQ(image->width, 1000);
  EXPECT_EQ(image->height, 500);
  EXPECT_EQ(image->thumbnail_width, 320);
  EXPECT_EQ(image->thumbnail_height, 160);
  EXPECT_GT(image->bytes, 0);
  EXPECT_TRUE(fs::exists(upload)) << "the upload stays the caller's";
  EXPECT_TRUE(fs::is_empty(dir / "work")) << "no work files are left behind";

  auto full = images.download("ann", image->id, ImageVariant::full);
  ASSERT_TRUE(full) << full.error().detail;
  EXPECT_EQ(full->content_type, "image/png");
  EXPECT_EQ(read_blob(*full).substr(1, 3), "PNG");
  auto thumb = images.download("ann", image->id, ImageVariant::thumbnail);
  ASSERT_TRUE(thumb);
  EXPECT_EQ(std::get<LocalBlob>(thumb->location).info.content_type, "image/png");
}

TEST_F(Images, NotAnImageIsRefusedAndLeavesNothing) {
  const std::string path = (dir / "a.png").string();
  std::ofstream(path) << "hello";
  auto image = images.upload("ann", path);
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().code, Code::unsupported_media_type);
  EXPECT_TRUE(fs::is_empty(dir / "work"));
}

TEST_F(Images, StrangersGetNotFoundMembersOfARoomWhereItWasPostedGetIt) {
  auto image = images.upload("ann", png(64, 64));
  ASSERT_TRUE(image);
  auto before = images.download("ben", image->id, ImageVariant::full);
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().code, Code::not_found);
  post(image->id);
  EXPECT_TRUE(images.download("ben", image->id, ImageVariant::full));
  auto stranger = images.download("cho", image->id, ImageVariant::thumbnail);
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().code, Code::not_found);
  EXPECT_EQ(images.download("ann", "missing", ImageVariant::full).error().code, Code::not_found);
}

TEST_F(Images, OnlyOnesOwnUploadsMayBeUsed) {
  auto image = images.upload("ann", png(64, 64));
  ASSERT_TRUE(image);
  EXPECT_TRUE(images.usable_by("ann", image->id));
  auto other = images.usable_by("ben", image->id);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, Code::not_found);
  EXPECT_EQ(other.error().field, "imageId");
}

TEST_F(Images, TheSweepDeletesOnlyOldImagesNothingUses) {
  auto posted = images.upload("ann", png(64, 64));
  auto orphan = images.upload("ann", png(65, 65));
  ASSERT_TRUE(posted && orphan);
  post(posted->id);
  EXPECT_EQ(images.sweep(100), 0u);  // within the grace period
  clock_.advance_ms(2 * 3600 * 1000);
  EXPECT_EQ(images.sweep(100), 1u);
  EXPECT_FALSE(images.download("ann", orphan->id, ImageVariant::full));
  EXPECT_FALSE(blobs.stat(image_blob_key(orphan->id, ImageVariant::full)));
  EXPECT_FALSE(blobs.stat(image_blob_key(orphan->id, ImageVariant::thumbnail)));
  EXPECT_TRUE(images.download("ann", posted->id, ImageVariant::full));
  EXPECT_EQ(images.sweep(100), 0u);
}

TEST_F(Images, ARoomDeletedWithItsMessagesLeavesItsImagesToTheSweep) {
  auto image = images.upload("ann", png(64, 64));
  ASSERT_TRUE(image);
  post(image->id);
  Message left;
  left.id = ids_.next_id();
  left.room_id = "r1";
  left.type = MessageType::system;
  left.text = "left";
  left.created_at_ms = clock_.now_ms();
  ASSERT_TRUE(rooms.remove_member("r1", "ben", left));
  ASSERT_TRUE(rooms.remove_member("r1", "ann", left));  // the last one out: room and messages deleted
  EXPECT_FALSE(rooms.find("r1"));
  clock_.advance_ms(2 * 3600 * 1000);
  EXPECT_EQ(images.sweep(100), 1u);
  EXPECT_FALSE(blobs.stat(image_blob_key(image->id, ImageVariant::full)));
}
