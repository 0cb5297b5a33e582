// SPDX-License-Identifier: MIT
// PushdScrape.cc - a plain HTTP/1.1 GET per node through Poco::Net.
#include "fcgi/ops/PushdScrape.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <sstream>

#include "common/Log.h"

namespace im::fcgi {
namespace {

Poco::JSON::Object::Ptr fetch(const std::string& node, int timeoutMs) {
  const auto colon = node.rfind(':');
  if (colon == std::string::npos) return nullptr;
  Poco::Net::HTTPClientSession session(node.substr(0, colon),
                                       static_cast<Poco::UInt16>(std::stoi(node.substr(colon + 1))));
  session.setTimeout(Poco::Timespan(0, timeoutMs * 1000));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/stats", Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  std::string body;
  Poco::StreamCopier::copyToString(in, body);
  if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) return nullptr;
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

}  // namespace

std::vector<NodeStats> scrapePushd(const std::vector<std::string>& nodes, int timeoutMs) {
  std::vector<NodeStats> all;
  for (const std::string& node : nodes) {
    NodeStats s{node, nullptr};
    try {
      s.stats = fetch(node, timeoutMs);
    } catch (const std::exception& e) {  // Poco::Exception included: refused, timed out, bad JSON
      IM_WARN("metrics", "pushd " + node + " /stats: " + e.what());
    }
    all.push_back(std::move(s));
  }
  return all;
}

}  // namespace im::fcgi
