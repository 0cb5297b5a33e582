// SPDX-License-Identifier: MIT
// ResponseTest.cc - the CGI response head.
#include "fcgi/Response.h"

#include <gtest/gtest.h>

namespace im::fcgi {
namespace {

TEST(Response, SerializesStatusHeadersAndBody) {
  EXPECT_EQ(Response::json(201, "{}").serialize(),
            "Status: 201 Created\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}");
}

TEST(Response, NoContentHasNoBodyHeaders) { EXPECT_EQ(Response::empty(204).serialize(), "Status: 204 No Content\r\n\r\n"); }

TEST(Response, HandOffCarriesTheRedirectHeader) {
  const auto r = Response::empty(200).header("X-Accel-Redirect", "/im-pushd/n/hold?uid=1");
  EXPECT_EQ(r.headerValue("X-Accel-Redirect"), "/im-pushd/n/hold?uid=1");
  EXPECT_EQ(r.serialize(), "Status: 200 OK\r\nX-Accel-Redirect: /im-pushd/n/hold?uid=1\r\nContent-Length: 0\r\n\r\n");
}

}  // namespace
}  // namespace im::fcgi
