#include "media/s3/sigv4.hpp"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace chattwo::media::s3::sigv4 {
namespace {

using Bytes = std::basic_string<unsigned char>;

std::string hex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();  // the terminating NUL
  return out;
}

Bytes hmac(const Bytes& key, std::string_view data) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.data(), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  Bytes out(crypto_auth_hmacsha256_BYTES, 0);
  crypto_auth_hmacsha256_final(&state, out.data());
  sodium_memzero(&state, sizeof state);
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Header values sign trimmed, with runs of spaces inside made one.
std::string trim_value(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Lower-cased names, sorted; values of a repeated name joined by ','.
std::vector<std::pair<std::string, std::string>> canonical_headers(const Request& request) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [name, value] : request.headers) headers.emplace_back(lower(name), trim_value(value));
  std::stable_sort(headers.begin(), headers.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<std::string, std::string>> merged;
  for (auto& h : headers) {
    if (!merged.empty() && merged.back().first == h.first) {
      merged.back().second += "," + h.second;
    } else {
      merged.push_back(std::move(h));
    }
  }
  return merged;
}

std::string canonical_query(const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) encoded.emplace_back(uri_encode(name, false), uri_encode(value, false));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return hex(digest, sizeof digest);
}

std::string uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 15];
    }
  }
  return out;
}

std::string amz_date(std::int64_t unix_s) {
  using namespace std::chrono;
  const sys_seconds t{seconds(unix_s)};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string signed_headers(const Request& request) {
  std::string out;
  for (const auto& [name, value] : canonical_headers(request)) {
    if (!out.empty()) out += ';';
    out += name;
  }
  return out;
}

std::string canonical_request(const Request& request) {
  std::string out = request.method + "\n" + request.canonical_uri + "\n" + canonical_query(request.query) + "\n";
  std::string names;
  for (const auto& [name, value] : canonical_headers(request)) {
    out += name + ":" + value + "\n";
    if (!names.empty()) names += ';';
    names += name;
  }
  out += "\n" + names + "\n" + request.payload_hash;
  return out;
}

std::string credential_scope(std::string_view amz_date, const Scope& scope) {
  return std::string(amz_date.substr(0, 8)) + "/" + scope.region + "/" + scope.service + "/aws4_request";
}

std::string string_to_sign(std::string_view amz_date, const Scope& scope, std::string_view canonical_request) {
  return std::string(kAlgorithm) + "\n" + std::string(amz_date) + "\n" + credential_scope(amz_date, scope) + "\n" +
         sha256_hex(canonical_request);
}

std::string signature(const Credentials& credentials, std::string_view amz_date, const Scope& scope,
                      std::string_view string_to_sign) {
  const std::string secret = "AWS4" + credentials.secret_access_key;
  Bytes key(secret.begin(), secret.end());
  key = hmac(key, amz_date.substr(0, 8));
  key = hmac(key, scope.region);
  key = hmac(key, scope.service);
  key = hmac(key, "aws4_request");
  const Bytes sig = hmac(key, string_to_sign);
  return hex(sig.data(), sig.size());
}

std::string authorization(const Credentials& credentials, const Scope& scope, std::string_view amz_date,
                          const Request& request) {
  const std::string sts = string_to_sign(amz_date, scope, canonical_request(request));
  return std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" +
         credential_scope(amz_date, scope) + ", SignedHeaders=" + signed_headers(request) +
         ", Signature=" + signature(credentials, amz_date, scope, sts);
}

std::string presign_query(const Credentials& credentials, const Scope& scope, std::string_view amz_date,
                          std::int64_t expires_s, const Request& request) {
  Request r = request;
  r.payload_hash = std::string(kUnsignedPayload);
  r.query.emplace_back("X-Amz-Algorithm", std::string(kAlgorithm));
  r.query.emplace_back("X-Amz-Credential", credentials.access_key_id + "/" + credential_scope(amz_date, scope));
  r.query.emplace_back("X-Amz-Date", std::string(amz_date));
  r.query.emplace_back("X-Amz-Expires", std::to_string(expires_s));
  r.query.emplace_back("X-Amz-SignedHeaders", signed_headers(r));
  const std::string sts = string_to_sign(amz_date, scope, canonical_request(r));
  return canonical_query(r.query) + "&X-Amz-Signature=" + signature(credentials, amz_date, scope, sts);
}

}  // namespace chattwo::media::s3::sigv4
