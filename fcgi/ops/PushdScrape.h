// SPDX-License-Identifier: MIT
// PushdScrape.h - GET /stats of every live pushd node, so that one scrape of /im/metrics or
// /im/status covers the whole cluster (a node's /stats is not routed by nginx).
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace im::fcgi {

struct NodeStats {
  std::string node;               // "host:port", as in im:nodes
  Poco::JSON::Object::Ptr stats;  // null when the node did not answer within the timeout
};

// One request per node, one after another, each bounded by `timeoutMs`.
std::vector<NodeStats> scrapePushd(const std::vector<std::string>& nodes, int timeoutMs);

}  // namespace im::fcgi
