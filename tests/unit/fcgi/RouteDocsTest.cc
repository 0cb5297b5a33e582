// SPDX-License-Identifier: MIT
// RouteDocsTest.cc - docs/api.md and the route table of fcgi/Router.cc name the same routes,
// so the project's API reference cannot drift from what the server answers.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "fcgi/Router.h"

namespace im::fcgi {
namespace {

// "{id}" and "{uid}" both stand for a path id: compare patterns with every "{...}" as "{}".
std::string normalised(std::string pattern) { return std::regex_replace(pattern, std::regex(R"(\{[a-z_]*\})"), "{}"); }

// Every "### `METHOD /im/...`" heading of docs/api.md, as "METHOD /im/...".
std::set<std::string> documentedRoutes() {
  std::ifstream in(std::string(IM_SOURCE_DIR) + "/docs/api.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  std::set<std::string> out;
  const std::regex heading(R"(^### `([A-Z]+) (/im/[^`?]*)`)", std::regex::multiline);
  for (std::sregex_iterator it(doc.begin(), doc.end(), heading), end; it != end; ++it) {
    out.insert((*it)[1].str() + " " + normalised((*it)[2].str()));
  }
  return out;
}

TEST(RouteDocs, EveryRouteIsDocumentedAndEveryDocumentedRouteExists) {
  const auto documented = documentedRoutes();
  ASSERT_FALSE(documented.empty()) << "no '### `METHOD /im/...`' heading found in docs/api.md";
  const Router router;
  std::set<std::string> routed;
  for (const auto& route : router.routes()) routed.insert(std::string(route.method) + " " + normalised(route.pattern));
  for (const auto& r : routed) EXPECT_TRUE(documented.count(r)) << r << " is routed but not in docs/api.md";
  for (const auto& d : documented) EXPECT_TRUE(routed.count(d)) << d << " is in docs/api.md but not routed";
}

}  // namespace
}  // namespace im::fcgi
