#include "media/fs/fs_blob_store.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <utility>
#include <vector>

namespace chattwo::media::fs {
namespace {

namespace stdfs = std::filesystem;
using chat::BlobInfo;
using chat::Error;
using chat::Result;
using chat::fail;

// The header before a blob's bytes: text lines, padded with '\n' to a fixed
// size so that the bytes always start at the same offset and the header can
// be written after them (the hash is known only once they are copied).
// 512 bytes hold the longest header: 255-byte content type + 64-hex ETag +
// 20-digit size + field names come to about 380.
constexpr std::size_t kHeaderBytes = 512;
constexpr std::string_view kMagic = "chattwo-blob 1";
// Copy buffer: big enough that a 10 MiB image is 160 read/write pairs.
constexpr std::size_t kCopyBufferBytes = 64 * 1024;
// A put whose folder a concurrent remove() pruned retries this many times.
constexpr int kRenameAttempts = 5;
// Files in .incoming/ older than this at start are crash leftovers; younger
// ones may belong to another process sharing the folder mid-put.
constexpr auto kStaleIncoming = std::chrono::hours(1);

std::string errno_text(int err) { return std::strerror(err); }

// `err` first: it is errno, read before anything else can change it.
Error io_error(int err, std::string_view what, const stdfs::path& path) {
  return Error::internal(std::string(what) + " " + path.string() + ": " + errno_text(err));
}

/// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Makes a directory entry change (create, rename, unlink) durable.
int fsync_dir(const stdfs::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return errno;
  if (::fsync(fd.get()) != 0) return errno;
  return 0;
}

bool write_all(int fd, const char* data, std::size_t n, off_t offset) {
  while (n > 0) {
    const ssize_t w = ::pwrite(fd, data, n, offset);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += w;
    n -= static_cast<std::size_t>(w);
    offset += w;
  }
  return true;
}

// Reads up to n bytes at offset; fewer only at end of file. -1 on error.
ssize_t read_full(int fd, char* data, std::size_t n, off_t offset) {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(fd, data + got, n - got, offset + static_cast<off_t>(got));
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return static_cast<ssize_t>(got);
}

std::string hex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();  // the terminating NUL
  return out;
}

std::string make_header(const BlobInfo& info) {
  std::string h = std::string(kMagic) + "\nsize " + std::to_string(info.size) + "\netag " + info.etag +
                  "\ncontent-type " + info.content_type + "\n";
  h.resize(kHeaderBytes, '\n');  // the first empty line ends the header
  return h;
}

// The header's fields, checked against the file's size.
Result<BlobInfo> parse_header(std::string_view h, std::uint64_t file_size, const stdfs::path& path) {
  const auto corrupt = [&](std::string_view why) {
    return fail(Error::internal("corrupt blob file " + path.string() + ": " + std::string(why)));
  };
  BlobInfo info;
  bool magic = false, has_size = false;
  while (!h.empty()) {
    const auto nl = h.find('\n');
    if (nl == std::string_view::npos) return corrupt("unterminated header");
    const std::string_view line = h.substr(0, nl);
    h.remove_prefix(nl + 1);
    if (line.empty()) break;
    if (!magic) {
      if (line != kMagic) return corrupt("not a blob file");
      magic = true;
      continue;
    }
    const auto sp = line.find(' ');
    const std::string_view name = line.substr(0, sp);
    const std::string_view value = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
    if (name == "size") {
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), info.size);
      if (ec != std::errc{} || end != value.data() + value.size()) return corrupt("bad size");
      has_size = true;
    } else if (name == "etag") {
      info.etag = value;
    } else if (name == "content-type") {
      info.content_type = value;
    }  // unknown fields: written by a later version, ignored
  }
  if (!magic || !has_size || info.etag.empty() || info.content_type.empty()) return corrupt("missing fields");
  if (info.size != file_size - kHeaderBytes) return corrupt("size does not match the file");
  return info;
}

struct Opened {
  Fd fd;
  BlobInfo info;
};

Result<Opened> open_blob(const stdfs::path& path) {
  // O_NOFOLLOW: keys never name symlinks; don't serve one planted in the folder.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR || err == ELOOP) return fail(Error::not_found("no blob under this key"));
    return fail(io_error(err, "cannot open", path));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fail(io_error(errno, "cannot stat", path));
  // A folder: the key is a prefix of other keys, not a blob.
  if (!S_ISREG(st.st_mode)) return fail(Error::not_found("no blob under this key"));
  if (static_cast<std::uint64_t>(st.st_size) < kHeaderBytes) {
    return fail(Error::internal("corrupt blob file " + path.string() + ": shorter than its header"));
  }
  std::array<char, kHeaderBytes> header{};
  if (read_full(fd.get(), header.data(), header.size(), 0) != static_cast<ssize_t>(header.size())) {
    return fail(Error::internal("cannot read the header of " + path.string()));
  }
  auto info = parse_header(std::string_view(header.data(), header.size()), static_cast<std::uint64_t>(st.st_size), path);
  if (!info) return fail(std::move(info).error());
  return Opened{std::move(fd), std::move(*info)};
}

/// Reads one open blob file past its header.
class FsBlobReader final : public chat::BlobReader {
 public:
  FsBlobReader(Fd fd, std::uint64_t size) : fd_(std::move(fd)), size_(size) {}

  Result<std::size_t> read(std::uint64_t offset, std::span<char> out) override {
    if (offset >= size_ || out.empty()) return std::size_t{0};
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), size_ - offset));
    const ssize_t got = read_full(fd_.get(), out.data(), n, static_cast<off_t>(kHeaderBytes + offset));
    if (got < 0) return fail(Error::internal(std::string("cannot read a blob: ") + errno_text(errno)));
    return static_cast<std::size_t>(got);
  }

 private:
  Fd fd_;
  std::uint64_t size_;
};

/// A temporary file in .incoming/, removed unless committed.
struct TempFile {
  stdfs::path path;
  Fd fd;
  bool committed = false;
  ~TempFile() {
    fd.reset();
    if (!committed && !path.empty()) ::unlink(path.c_str());
  }
};

}  // namespace

FsBlobStore::FsBlobStore(FsBlobStoreSettings settings) : root_(stdfs::path(settings.dir).lexically_normal()) {
  if (root_.empty()) throw std::runtime_error("the blob folder is not set");
  if (!root_.has_filename() && root_.has_parent_path() && root_ != root_.root_path()) root_ = root_.parent_path();
  incoming_ = root_ / ".incoming";
  std::error_code ec;
  stdfs::create_directories(incoming_, ec);
  if (ec) throw std::runtime_error("cannot create the blob folder " + incoming_.string() + ": " + ec.message());
  if (::access(incoming_.c_str(), W_OK | X_OK) != 0) {
    throw std::runtime_error("cannot write in the blob folder " + incoming_.string() + ": " + errno_text(errno));
  }
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  const auto cutoff = stdfs::file_time_type::clock::now() - kStaleIncoming;
  for (const auto& entry : stdfs::directory_iterator(incoming_, ec)) {
    std::error_code ignored;
    if (entry.is_regular_file(ignored) && entry.last_write_time(ignored) < cutoff) stdfs::remove(entry.path(), ignored);
  }
}

chat::Result<chat::BlobInfo> FsBlobStore::put(std::string_view key, const std::string& file_path,
                                              std::string_view content_type) {
  if (auto ok = chat::validate_blob_key(key); !ok) return fail(ok.error());
  if (auto ok = chat::validate_blob_content_type(content_type); !ok) return fail(ok.error());

  Fd src(::open(file_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!src) {
    const int err = errno;
    return fail(io_error(err, "cannot open", stdfs::path(file_path)));
  }

  TempFile tmp;
  std::string name = (incoming_ / "blob-XXXXXX").string();
  tmp.fd = Fd(::mkostemp(name.data(), O_CLOEXEC));
  if (!tmp.fd) return fail(io_error(errno, "cannot create a file in", incoming_));
  tmp.path = name;
  // mkostemp makes it 0600; others in the operator's group (backups) may read.
  ::fchmod(tmp.fd.get(), 0640);

  // Copy the bytes after the header's place, hashing them on the way.
  crypto_hash_sha256_state sha;
  crypto_hash_sha256_init(&sha);
  std::vector<char> buf(kCopyBufferBytes);
  std::uint64_t size = 0;
  for (;;) {
    const ssize_t r = ::read(src.get(), buf.data(), buf.size());
    if (r < 0) {
      const int err = errno;
      if (err == EINTR) continue;
      return fail(io_error(err, "cannot read", stdfs::path(file_path)));
    }
    if (r == 0) break;
    crypto_hash_sha256_update(&sha, reinterpret_cast<const unsigned char*>(buf.data()), static_cast<std::size_t>(r));
    if (!write_all(tmp.fd.get(), buf.data(), static_cast<std::size_t>(r), static_cast<off_t>(kHeaderBytes + size))) {
      return fail(io_error(errno, "cannot write", tmp.path));
    }
    size += static_cast<std::uint64_t>(r);
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&sha, digest);

  BlobInfo info{size, hex(digest, sizeof digest), std::string(content_type)};
  const std::string header = make_header(info);
  if (!write_all(tmp.fd.get(), header.data(), header.size(), 0)) return fail(io_error(errno, "cannot write", tmp.path));
  if (::fsync(tmp.fd.get()) != 0) return fail(io_error(errno, "cannot fsync", tmp.path));
  tmp.fd.reset();

  const stdfs::path target = root_ / std::string(key);
  const stdfs::path parent = target.parent_path();
  for (int attempt = 0;; ++attempt) {
    // Create the key's folders one by one, each made durable in its parent.
    stdfs::path dir = root_;
    const stdfs::path rel = parent.lexically_relative(root_);
    for (const auto& part : rel) {
      if (part == ".") continue;
      dir /= part;
      if (::mkdir(dir.c_str(), 0750) == 0) {
        if (int err = fsync_dir(dir.parent_path())) return fail(io_error(err, "cannot fsync", dir.parent_path()));
      } else if (errno != EEXIST) {
        if (errno == ENOTDIR) return fail(Error::conflict("a part of this key is itself a blob"));
        return fail(io_error(errno, "cannot create", dir));
      }
    }
    if (::rename(tmp.path.c_str(), target.c_str()) == 0) break;
    const int err = errno;
    // A concurrent remove() pruned the (then empty) folder: make it again.
    if (err == ENOENT && attempt + 1 < kRenameAttempts) continue;
    if (err == ENOTDIR) return fail(Error::conflict("a part of this key is itself a blob"));
    if (err == EISDIR || err == ENOTEMPTY || err == EEXIST) return fail(Error::conflict("this key is a folder of other blobs"));
    return fail(io_error(err, "cannot rename into", target));
  }
  tmp.committed = true;
  if (int err = fsync_dir(parent)) return fail(io_error(err, "cannot fsync", parent));
  return info;
}

chat::Result<void> FsBlobStore::remove(std::string_view key) {
  if (auto ok = chat::validate_blob_key(key); !ok) return fail(ok.error());
  const stdfs::path target = root_ / std::string(key);
  struct stat st {};
  // Only blob files: a key that names a folder of other blobs has no blob.
  if (::lstat(target.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) return {};
    return fail(io_error(err, "cannot stat", target));
  }
  if (S_ISDIR(st.st_mode)) return {};
  if (::unlink(target.c_str()) != 0) {
    if (errno == ENOENT) return {};
    return fail(io_error(errno, "cannot remove", target));
  }
  if (int err = fsync_dir(target.parent_path())) return fail(io_error(err, "cannot fsync", target.parent_path()));
  // Prune folders left empty ("img/<id>/" once its last image is gone), so
  // they don't pile up; stop at the first that still holds something.
  for (stdfs::path dir = target.parent_path(); dir != root_ && dir.string().size() > root_.string().size();
       dir = dir.parent_path()) {
    if (::rmdir(dir.c_str()) != 0) break;
  }
  return {};
}

chat::Result<chat::BlobInfo> FsBlobStore::stat(std::string_view key) {
  if (auto ok = chat::validate_blob_key(key); !ok) return fail(ok.error());
  auto opened = open_blob(root_ / std::string(key));
  if (!opened) return fail(std::move(opened).error());
  return std::move(opened->info);
}

chat::Result<chat::BlobLocation> FsBlobStore::locate(std::string_view key) {
  if (auto ok = chat::validate_blob_key(key); !ok) return fail(ok.error());
  auto opened = open_blob(root_ / std::string(key));
  if (!opened) return fail(std::move(opened).error());
  const std::uint64_t size = opened->info.size;
  chat::LocalBlob blob{std::move(opened->info), std::make_unique<FsBlobReader>(std::move(opened->fd), size)};
  return chat::BlobLocation(std::move(blob));
}

}  // namespace chattwo::media::fs
