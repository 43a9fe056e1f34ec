#pragma once
#include <filesystem>
#include <string>

#include "chat/blob_store.hpp"

namespace chattwo::media::fs {

struct FsBlobStoreSettings {
  std::string dir;  // the folder that holds the blobs (created if missing)
};

/// BlobStore on a local folder, for the embedded setup: the process serves
/// the bytes itself (locate() gives a LocalBlob). Key "img/X/full.jpg" is
/// the file <dir>/img/X/full.jpg: a 512-byte text header (content type,
/// size, SHA-256 of the bytes = the ETag), then the bytes. Header and
/// bytes live in one file so that one rename() publishes both: a crash
/// leaves the old blob or the new one, never a half or a mismatched pair.
/// A put is written under <dir>/.incoming/ first (same filesystem), fsynced,
/// renamed into place, and the folder fsynced.
///
/// A key can't be both a blob and the folder of another ("a" and "a/b"):
/// the second put answers Code::conflict. Every method blocks on disk I/O.
class FsBlobStore final : public chat::BlobStore {
 public:
  /// Creates the folder if needed and clears what a crash left in
  /// .incoming/ over an hour ago. Throws std::runtime_error with a
  /// one-line reason if the folder can't be created or written.
  explicit FsBlobStore(FsBlobStoreSettings settings);

  chat::Result<chat::BlobInfo> put(std::string_view key, const std::string& file_path,
                                   std::string_view content_type) override;
  chat::Result<void> remove(std::string_view key) override;
  chat::Result<chat::BlobInfo> stat(std::string_view key) override;
  chat::Result<chat::BlobLocation> locate(std::string_view key) override;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
  std::filesystem::path incoming_;
};

}  // namespace chattwo::media::fs
