// SigV4 against published numbers, never against itself: AWS's Signature
// Version 4 test suite (service "service", AKIDEXAMPLE), the S3 developer
// guide's worked examples (AKIAIOSFODNN7EXAMPLE, 20130524T000000Z), and
// two requests shaped like ours (path style, a port, a key that needs
// escaping) whose signatures botocore 1.29 computed. Every expected value
// here was checked against botocore's signers (python3-botocore).
#include "media/s3/sigv4.hpp"

#include <gtest/gtest.h>

namespace chattwo::media::s3::sigv4 {
namespace {

// The test suite's example credentials and scope.
const Credentials kSuite{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"};
const Scope kSuiteScope{"us-east-1", "service"};
constexpr std::string_view kSuiteDate = "20150830T123600Z";

// The S3 guide's example credentials (note '/' where the suite has '+').
const Credentials kS3Example{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"};
const Scope kS3Scope{"us-east-1", "s3"};
constexpr std::string_view kS3Date = "20130524T000000Z";

std::string signature_of(const std::string& authorization) {
  return authorization.substr(authorization.rfind('=') + 1);
}

TEST(SigV4, Primitives) {
  EXPECT_EQ(sha256_hex(""), kEmptyPayloadHash);
  EXPECT_EQ(sha256_hex("Welcome to Amazon S3."), "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  EXPECT_EQ(uri_encode("a b/c~d_e-f.g$h+i=j", true), "a%20b/c~d_e-f.g%24h%2Bi%3Dj");
  EXPECT_EQ(uri_encode("a/b", false), "a%2Fb");
  EXPECT_EQ(uri_encode("\xc3\xa9", false), "%C3%A9");
  EXPECT_EQ(amz_date(1440938160), "20150830T123600Z");
  EXPECT_EQ(amz_date(1369353600), "20130524T000000Z");
  EXPECT_EQ(amz_date(0), "19700101T000000Z");
  EXPECT_EQ(amz_date(1709251199), "20240229T235959Z");
}

// get-vanilla: the suite's simplest request, step by step.
TEST(SigV4, SuiteGetVanilla) {
  Request r{"GET", "/", {}, {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", std::string(kSuiteDate)}},
            std::string(kEmptyPayloadHash)};
  const std::string creq = canonical_request(r);
  EXPECT_EQ(creq,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(string_to_sign(kSuiteDate, kSuiteScope, creq),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(authorization(kSuite, kSuiteScope, kSuiteDate, r),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4, SuiteQueryIsSortedByKey) {
  Request r{"GET", "/", {{"Param2", "value2"}, {"Param1", "value1"}},
            {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", std::string(kSuiteDate)}},
            std::string(kEmptyPayloadHash)};
  EXPECT_EQ(signature_of(authorization(kSuite, kSuiteScope, kSuiteDate, r)),
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4, SuitePostVanilla) {
  Request r{"POST", "/", {}, {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", std::string(kSuiteDate)}},
            std::string(kEmptyPayloadHash)};
  EXPECT_EQ(signature_of(authorization(kSuite, kSuiteScope, kSuiteDate, r)),
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
}

// S3 guide, "GET Object": a Range header signed too.
TEST(SigV4, S3GuideGetObject) {
  Request r{"GET", "/test.txt", {},
            {{"Host", "examplebucket.s3.amazonaws.com"}, {"Range", "bytes=0-9"},
             {"x-amz-content-sha256", std::string(kEmptyPayloadHash)}, {"x-amz-date", std::string(kS3Date)}},
            std::string(kEmptyPayloadHash)};
  EXPECT_EQ(string_to_sign(kS3Date, kS3Scope, canonical_request(r)),
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(authorization(kS3Example, kS3Scope, kS3Date, r),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

// S3 guide, "PUT Object": a key with '$' (encoded once), a Date header.
TEST(SigV4, S3GuidePutObject) {
  const std::string payload = sha256_hex("Welcome to Amazon S3.");
  Request r{"PUT", "/" + uri_encode("test$file.text", true), {},
            {{"Host", "examplebucket.s3.amazonaws.com"}, {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
             {"x-amz-date", std::string(kS3Date)}, {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
             {"x-amz-content-sha256", payload}},
            payload};
  EXPECT_EQ(sha256_hex(canonical_request(r)), "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d");
  EXPECT_EQ(authorization(kS3Example, kS3Scope, kS3Date, r),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
            "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

// S3 guide, "GET Bucket Lifecycle" (a value-less "?lifecycle", the case
// libcurl 7.88 signs wrongly) and "Get Bucket (List Objects)".
TEST(SigV4, S3GuideBucketQueries) {
  Request lifecycle{"GET", "/", {{"lifecycle", ""}},
                    {{"Host", "examplebucket.s3.amazonaws.com"},
                     {"x-amz-content-sha256", std::string(kEmptyPayloadHash)}, {"x-amz-date", std::string(kS3Date)}},
                    std::string(kEmptyPayloadHash)};
  EXPECT_EQ(signature_of(authorization(kS3Example, kS3Scope, kS3Date, lifecycle)),
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
  Request list = lifecycle;
  list.query = {{"prefix", "J"}, {"max-keys", "2"}};
  EXPECT_EQ(signature_of(authorization(kS3Example, kS3Scope, kS3Date, list)),
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

// S3 guide, "Example: Signature Calculation for Presigned URL".
TEST(SigV4, S3GuidePresignedUrl) {
  Request r{"GET", "/test.txt", {}, {{"Host", "examplebucket.s3.amazonaws.com"}}, ""};
  EXPECT_EQ(presign_query(kS3Example, kS3Scope, kS3Date, 86400, r),
            "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

// Requests shaped like the adapter's, signed by botocore for comparison:
// path style, host with a port, another region.
TEST(SigV4, BotocorePathStylePut) {
  const Credentials creds = kS3Example;
  const Scope scope{"eu-west-2", "s3"};
  const std::string date = "20260102T030405Z";
  const std::string payload = sha256_hex("hello");
  Request r{"PUT", "/chattwo-test/img/01ARZ3NDEKTSV4RRFFQ69G5FAV/full.jpg", {},
            {{"Host", "127.0.0.1:9000"}, {"Content-Type", "image/jpeg"}, {"x-amz-content-sha256", payload},
             {"x-amz-date", date}},
            payload};
  EXPECT_EQ(authorization(creds, scope, date, r),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260102/eu-west-2/s3/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, "
            "Signature=5ed2de56a8f16ab08147a8ef589058fd0535703b4fabd77e16970ec62685100e");
}

TEST(SigV4, BotocorePathStylePresign) {
  const Scope scope{"eu-west-2", "s3"};
  Request r{"GET", "/chattwo-test/" + uri_encode("img/a_b-c.d~e/x y.png", true), {}, {{"Host", "127.0.0.1:9000"}}, ""};
  EXPECT_EQ(r.canonical_uri, "/chattwo-test/img/a_b-c.d~e/x%20y.png");
  EXPECT_EQ(presign_query(kS3Example, scope, "20260102T030405Z", 300, r),
            "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260102%2Feu-west-2%2Fs3%2Faws4_request"
            "&X-Amz-Date=20260102T030405Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=8ccc3d64b6ffec6a86de51a3749ce1a656a91c1c56bcd1bb26596ce35e6fe03e");
}

TEST(SigV4, HeaderValuesAreTrimmedAndRepeatsJoined) {
  Request r{"GET", "/", {}, {{"Host", "h"}, {"X-A", "  a   b  "}, {"x-a", "c"}}, std::string(kEmptyPayloadHash)};
  EXPECT_EQ(canonical_request(r), "GET\n/\n\nhost:h\nx-a:a b,c\n\nhost;x-a\n" + std::string(kEmptyPayloadHash));
  EXPECT_EQ(signed_headers(r), "host;x-a");
}

}  // namespace
}  // namespace chattwo::media::s3::sigv4
