#include "net/router.hpp"

#include <gtest/gtest.h>

using namespace chattwo;
using api::Method;
using net::Router;

namespace {
api::Route route(Method m, std::string pattern) {
  return {m, std::move(pattern), [](api::Request&) { return api::Response{}; }};
}
}  // namespace

TEST(Router, MatchesLiteralsAndDecodesParameters) {
  Router r;
  r.add(route(Method::get, "/api/v1/me"));
  r.add(route(Method::get, "/api/v1/users/{id}"));
  auto m = r.match(Method::get, "/api/v1/users/abc%2Fdef");
  ASSERT_EQ(m.outcome, Router::Outcome::found);
  EXPECT_EQ(m.route->pattern, "/api/v1/users/{id}");
  EXPECT_EQ(m.params.at("id"), "abc/def");  // an encoded slash stays inside the segment
  EXPECT_EQ(r.match(Method::get, "/api/v1/me").route->pattern, "/api/v1/me");
}

TEST(Router, UnknownPathsAndEmptyParametersAreNotFound) {
  Router r;
  r.add(route(Method::get, "/api/v1/users/{id}"));
  EXPECT_EQ(r.match(Method::get, "/api/v1/users/").outcome, Router::Outcome::not_found);
  EXPECT_EQ(r.match(Method::get, "/api/v1/users/a/b").outcome, Router::Outcome::not_found);
  EXPECT_EQ(r.match(Method::get, "/nope").outcome, Router::Outcome::not_found);
}

TEST(Router, OtherMethodIs405WithAllow) {
  Router r;
  r.add(route(Method::get, "/api/v1/me"));
  r.add(route(Method::patch, "/api/v1/me"));
  auto m = r.match(Method::delete_, "/api/v1/me");
  EXPECT_EQ(m.outcome, Router::Outcome::method_not_allowed);
  EXPECT_EQ(m.allow, "GET, HEAD, PATCH");
}

TEST(Router, HeadMatchesGet) {
  Router r;
  r.add(route(Method::get, "/healthz"));
  EXPECT_EQ(r.match(Method::head, "/healthz").outcome, Router::Outcome::found);
}

TEST(Router, BadEscapesAreRejected) {
  Router r;
  r.add(route(Method::get, "/api/v1/users/{id}"));
  EXPECT_EQ(r.match(Method::get, "/api/v1/users/%zz").outcome, Router::Outcome::bad_path);
}

TEST(Router, DuplicateRoutesAreAProgrammingError) {
  Router r;
  r.add(route(Method::get, "/a"));
  EXPECT_THROW(r.add(route(Method::get, "/a")), std::logic_error);
}
