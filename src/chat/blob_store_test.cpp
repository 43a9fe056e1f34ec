// The key and content-type rules every BlobStore adapter enforces.
#include "chat/blob_store.hpp"

#include <gtest/gtest.h>

#include <string>

namespace chattwo::chat {
namespace {

TEST(BlobKey, ImageKeysAreValid) {
  EXPECT_TRUE(validate_blob_key("img/01ARZ3NDEKTSV4RRFFQ69G5FAV/full.jpg"));
  EXPECT_TRUE(validate_blob_key("img/01ARZ3NDEKTSV4RRFFQ69G5FAV/thumb.webp"));
  EXPECT_TRUE(validate_blob_key("a"));
  EXPECT_TRUE(validate_blob_key("a-b_c.d/E..F"));
  EXPECT_TRUE(validate_blob_key(std::string(128, 'x') + "/" + std::string(128, 'y')));
}

TEST(BlobKey, PathTricksAndOddCharactersAreRefused) {
  for (const char* bad : {"", "/img/a.jpg", "img/a.jpg/", "img//a.jpg", "../a", "img/../a", "img/./a", ".", "..",
                          ".hidden", "img/.tmp", "img\\a", "img/a b.jpg", "img/a%2F.jpg", "img/a?.jpg", "img/é.jpg",
                          "img/a\n.jpg"}) {
    const std::string key = bad;
    auto r = validate_blob_key(key);
    EXPECT_FALSE(r) << "'" << key << "'";
    if (!r) {
      EXPECT_EQ(r.error().code, Code::validation);
      EXPECT_EQ(r.error().field, "key");
    }
  }
  EXPECT_FALSE(validate_blob_key(std::string_view("img/a\0b", 7)));
}

TEST(BlobKey, LengthLimits) {
  EXPECT_FALSE(validate_blob_key(std::string(129, 'x')));
  std::string long_key;
  while (long_key.size() < 512) long_key += "abcdefg/";
  long_key.resize(512);
  if (long_key.back() == '/') long_key.back() = 'z';
  EXPECT_TRUE(validate_blob_key(long_key));
  EXPECT_FALSE(validate_blob_key(long_key + "z"));
}

TEST(BlobContentType, HeaderSafeTypesOnly) {
  EXPECT_TRUE(validate_blob_content_type("image/jpeg"));
  EXPECT_TRUE(validate_blob_content_type("text/plain; charset=utf-8"));
  for (const char* bad : {"", "jpeg", "image/jpeg\r\nX-Evil: 1", "image/\x7f", " image/png"}) {
    auto r = validate_blob_content_type(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.error().field, "content_type");
    }
  }
  EXPECT_FALSE(validate_blob_content_type("image/" + std::string(250, 'x')));
}

}  // namespace
}  // namespace chattwo::chat
