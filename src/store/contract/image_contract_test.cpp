// The contract of ImageStore, for every adapter: records, who may see an
// image (uploader, members of a room where it was posted, anyone for an
// avatar), and which images nothing uses any more.
#include <gtest/gtest.h>

#include "store/contract/test_stores.hpp"

namespace {

using namespace chattwo;
using store::contract::kT0;

class ImageContract : public store::contract::SocialContract {
 protected:
  void SetUp() override {
    SocialContract::SetUp();
    for (const char* id : {"ann", "ben", "cho", "dan"}) add_user(id, id);
    chat::Room room;
    room.id = "r1";
    room.kind = chat::RoomKind::group;
    room.name = "사진";
    room.created_at_ms = kT0;
    room.members = {{"ann", 1, 0}, {"ben", 1, 0}};
    ASSERT_TRUE(rooms().insert(room));
  }

  chat::Image image(std::string id, std::string uploader, std::int64_t at = kT0) {
    chat::Image i;
    i.id = std::move(id);
    i.uploader_id = std::move(uploader);
    i.content_type = "image/jpeg";
    i.width = 4032;
    i.height = 3024;
    i.bytes = 1'234'567;
    i.thumbnail_content_type = "image/jpeg";
    i.thumbnail_width = 320;
    i.thumbnail_height = 240;
    i.created_at_ms = at;
    return i;
  }

  void post(const std::string& image_id, const std::string& sender, const std::string& client_msg_id) {
    chat::Message m;
    m.id = "m-" + client_msg_id;
    m.room_id = "r1";
    m.sender_id = sender;
    m.type = chat::MessageType::image;
    m.image_id = image_id;
    m.client_msg_id = client_msg_id;
    m.created_at_ms = kT0 + 1;
    ASSERT_TRUE(messages().append(m));
  }
};

TEST_P(ImageContract, StoresAndFindsRecords) {
  ASSERT_TRUE(images().insert(image("i1", "ann")));
  auto found = images().find("i1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->uploader_id, "ann");
  EXPECT_EQ(found->width, 4032);
  EXPECT_EQ(found->height, 3024);
  EXPECT_EQ(found->bytes, 1'234'567);
  EXPECT_EQ(found->thumbnail_width, 320);
  EXPECT_EQ(found->created_at_ms, kT0);
  EXPECT_FALSE(images().find("nope"));

  auto again = images().insert(image("i1", "ben"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, chat::Code::conflict);
  auto nobody = images().insert(image("i2", "nobody"));
  ASSERT_FALSE(nobody);
  EXPECT_EQ(nobody.error().code, chat::Code::not_found);
}

TEST_P(ImageContract, TheUploaderAndTheRoomsMembersMaySeeItOthersMayNot) {
  ASSERT_TRUE(images().insert(image("i1", "ann")));
  EXPECT_TRUE(images().can_view("i1", "ann"));
  EXPECT_FALSE(images().can_view("i1", "ben"));  // not posted yet
  post("i1", "ann", "c1");
  EXPECT_TRUE(images().can_view("i1", "ben"));
  EXPECT_FALSE(images().can_view("i1", "cho"));  // not in the room
  EXPECT_FALSE(images().can_view("missing", "ann"));
}

TEST_P(ImageContract, AnAvatarIsForEveryone) {
  ASSERT_TRUE(images().insert(image("face", "cho")));
  EXPECT_FALSE(images().can_view("face", "dan"));
  chat::ProfilePatch patch;
  patch.avatar_image_id = std::optional<std::string>("face");
  ASSERT_TRUE(users().update_profile("cho", patch));
  EXPECT_TRUE(images().can_view("face", "dan"));
}

TEST_P(ImageContract, UnusedImagesAreTheOldOnesNothingShows) {
  ASSERT_TRUE(images().insert(image("posted", "ann", kT0)));
  ASSERT_TRUE(images().insert(image("avatar", "ben", kT0 + 1)));
  ASSERT_TRUE(images().insert(image("orphan", "ann", kT0 + 2)));
  ASSERT_TRUE(images().insert(image("fresh", "ann", kT0 + 100)));
  post("posted", "ann", "c1");
  chat::ProfilePatch patch;
  patch.avatar_image_id = std::optional<std::string>("avatar");
  ASSERT_TRUE(users().update_profile("ben", patch));

  auto unused = images().unused(kT0 + 50, 10);
  ASSERT_EQ(unused.size(), 1u);
  EXPECT_EQ(unused[0].id, "orphan");
  EXPECT_EQ(images().unused(kT0 + 1000, 10).size(), 2u);  // "fresh" too, once old enough
  EXPECT_EQ(images().unused(kT0 + 1000, 1).size(), 1u);

  // The avatar replaced: the old one is unused from then on.
  patch.avatar_image_id = std::optional<std::string>();
  ASSERT_TRUE(users().update_profile("ben", patch));
  EXPECT_EQ(images().unused(kT0 + 50, 10).size(), 2u);

  EXPECT_TRUE(images().remove("orphan"));
  EXPECT_FALSE(images().remove("orphan"));
  EXPECT_FALSE(images().find("orphan"));
}

INSTANTIATE_TEST_SUITE_P(All, ImageContract, ::testing::ValuesIn(store::contract::backends()),
                         store::contract::backend_name);

}  // namespace
