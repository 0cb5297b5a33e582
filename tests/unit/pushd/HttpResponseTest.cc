// SPDX-License-Identifier: MIT
// HttpResponseTest.cc - the answer bytes: head, Content-Length, and wrap() building in place.
#include "pushd/HttpResponse.h"

#include <gtest/gtest.h>

#include "pushd/PollAnswer.h"

namespace im::pushd {
namespace {

TEST(HttpResponse, RendersStatusJsonTypeLengthAndClose) {
  EXPECT_EQ(HttpResponse::render(200, "{}"),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 2\r\n"
            "Connection: close\r\n\r\n{}");
  EXPECT_EQ(HttpResponse::render(405, "").substr(0, 32), "HTTP/1.1 405 Method Not Allowed\r");
}

TEST(HttpResponse, WrapGivesTheSameBytesAsRender) {
  const std::string body = R"({"messages":[],"next":12345678901234567890})";
  EXPECT_EQ(HttpResponse::wrap(503, body), HttpResponse::render(503, body));
  EXPECT_EQ(HttpResponse::wrap(200, ""), HttpResponse::render(200, ""));
}

TEST(HttpResponse, WrapsAPollAnswerInItsOwnBuffer) {
  std::string body = PollAnswer::empty(18446744073709551615u);
  const char* const buffer = body.data();
  const std::string answer = HttpResponse::wrap(200, std::move(body));
  EXPECT_EQ(answer.data(), buffer) << "the head did not fit in the room PollAnswer reserved";
  EXPECT_NE(answer.find("\r\n\r\n{\"messages\":[],\"next\":18446744073709551615}"), std::string::npos);
}

}  // namespace
}  // namespace im::pushd
