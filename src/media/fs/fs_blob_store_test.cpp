// What the folder adapter promises beyond the port's contract (that one is
// in media/contract/): its file layout, crash leftovers, folder pruning,
// and refusing what it can't represent or didn't write.
#include "media/fs/fs_blob_store.hpp"

#include <gtest/gtest.h>

#include <stdlib.h>  // mkdtemp
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <variant>

namespace chattwo::media::fs {
namespace {

namespace stdfs = std::filesystem;

class FsBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (stdfs::temp_directory_path() / "chattwo-fs-blobs-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    stdfs::remove_all(dir_, ec);
  }

  std::string file(const std::string& bytes) {
    const auto path = dir_ / ("src-" + std::to_string(next_++));
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }

  static std::string slurp(const stdfs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  stdfs::path dir_;
  int next_ = 0;
};

TEST_F(FsBlobStoreTest, LayoutIsAHeaderThenTheBytes) {
  FsBlobStore store({(dir_ / "blobs").string()});
  auto put = store.put("img/01ARZ/full.jpg", file("hello"), "image/jpeg");
  ASSERT_TRUE(put) << put.error().detail;
  // SHA-256("hello")
  EXPECT_EQ(put->etag, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");

  const std::string on_disk = slurp(dir_ / "blobs/img/01ARZ/full.jpg");
  ASSERT_EQ(on_disk.size(), 512u + 5);
  EXPECT_EQ(on_disk.substr(512), "hello");
  EXPECT_EQ(on_disk.rfind("chattwo-blob 1\nsize 5\netag " + put->etag + "\ncontent-type image/jpeg\n\n", 0), 0u);
  // Nothing is left behind in .incoming/.
  EXPECT_TRUE(stdfs::is_empty(dir_ / "blobs/.incoming"));
}

TEST_F(FsBlobStoreTest, TrailingSlashInTheFolderSettingIsFine) {
  FsBlobStore store({(dir_ / "blobs").string() + "/"});
  ASSERT_TRUE(store.put("a/b.png", file("x"), "image/png"));
  ASSERT_TRUE(store.remove("a/b.png"));
  EXPECT_FALSE(stdfs::exists(dir_ / "blobs/a"));
  EXPECT_TRUE(stdfs::exists(dir_ / "blobs"));
}

TEST_F(FsBlobStoreTest, RemovePrunesEmptyFoldersOnly) {
  FsBlobStore store({dir_.string() + "/blobs"});
  ASSERT_TRUE(store.put("img/a/full.jpg", file("1"), "image/jpeg"));
  ASSERT_TRUE(store.put("img/a/thumb.jpg", file("2"), "image/jpeg"));
  ASSERT_TRUE(store.put("img/b/full.jpg", file("3"), "image/jpeg"));
  ASSERT_TRUE(store.remove("img/a/full.jpg"));
  EXPECT_TRUE(stdfs::exists(dir_ / "blobs/img/a/thumb.jpg"));
  ASSERT_TRUE(store.remove("img/a/thumb.jpg"));
  EXPECT_FALSE(stdfs::exists(dir_ / "blobs/img/a"));
  EXPECT_TRUE(stdfs::exists(dir_ / "blobs/img/b/full.jpg"));
  ASSERT_TRUE(store.remove("img/b/full.jpg"));
  EXPECT_FALSE(stdfs::exists(dir_ / "blobs/img"));
  EXPECT_TRUE(stdfs::exists(dir_ / "blobs/.incoming"));
  // The folder comes back for the next put.
  ASSERT_TRUE(store.put("img/b/full.jpg", file("4"), "image/jpeg"));
}

TEST_F(FsBlobStoreTest, AKeyCannotBeBothABlobAndAFolder) {
  FsBlobStore store({(dir_ / "blobs").string()});
  ASSERT_TRUE(store.put("a/b.jpg", file("1"), "image/jpeg"));
  auto over_folder = store.put("a", file("2"), "image/jpeg");
  ASSERT_FALSE(over_folder);
  EXPECT_EQ(over_folder.error().code, chat::Code::conflict);
  auto under_file = store.put("a/b.jpg/c.jpg", file("3"), "image/jpeg");
  ASSERT_FALSE(under_file);
  EXPECT_EQ(under_file.error().code, chat::Code::conflict);
  EXPECT_TRUE(store.remove("a"));  // a folder, not a blob: nothing to remove
  EXPECT_TRUE(store.stat("a/b.jpg"));
  EXPECT_TRUE(stdfs::is_empty(dir_ / "blobs/.incoming"));
}

TEST_F(FsBlobStoreTest, OldCrashLeftoversAreClearedAtStart) {
  const auto incoming = dir_ / "blobs/.incoming";
  stdfs::create_directories(incoming);
  std::ofstream(incoming / "blob-old") << "half a file";
  std::ofstream(incoming / "blob-new") << "another put in progress";
  stdfs::last_write_time(incoming / "blob-old", stdfs::file_time_type::clock::now() - std::chrono::hours(2));
  FsBlobStore store({(dir_ / "blobs").string()});
  EXPECT_FALSE(stdfs::exists(incoming / "blob-old"));
  EXPECT_TRUE(stdfs::exists(incoming / "blob-new"));
}

TEST_F(FsBlobStoreTest, FilesItDidNotWriteAreNotServed) {
  FsBlobStore store({(dir_ / "blobs").string()});
  stdfs::create_directories(dir_ / "blobs/img");
  std::ofstream(dir_ / "blobs/img/short.jpg") << "no header";
  std::ofstream(dir_ / "blobs/img/foreign.jpg") << std::string(600, 'x');
  EXPECT_EQ(store.stat("img/short.jpg").error().code, chat::Code::internal);
  EXPECT_EQ(store.locate("img/foreign.jpg").error().code, chat::Code::internal);

  // A header whose size disagrees with the file (a truncated copy).
  ASSERT_TRUE(store.put("img/ok.jpg", file("12345"), "image/jpeg"));
  stdfs::resize_file(dir_ / "blobs/img/ok.jpg", 512 + 3);
  EXPECT_EQ(store.stat("img/ok.jpg").error().code, chat::Code::internal);

  // A symlink planted in the folder is not followed.
  ASSERT_TRUE(store.put("img/real.jpg", file("real"), "image/jpeg"));
  stdfs::create_symlink(dir_ / "blobs/img/real.jpg", dir_ / "blobs/img/link.jpg");
  EXPECT_EQ(store.stat("img/link.jpg").error().code, chat::Code::not_found);
}

TEST_F(FsBlobStoreTest, FilesAreReadableByTheGroupOnly) {
  FsBlobStore store({(dir_ / "blobs").string()});
  ASSERT_TRUE(store.put("p.jpg", file("x"), "image/jpeg"));
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "blobs/p.jpg").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST_F(FsBlobStoreTest, AFolderThatCannotBeMadeThrows) {
  std::ofstream(dir_ / "a-file") << "x";
  EXPECT_THROW(FsBlobStore({(dir_ / "a-file/blobs").string()}), std::runtime_error);
  EXPECT_THROW(FsBlobStore({""}), std::runtime_error);
}

}  // namespace
}  // namespace chattwo::media::fs
