// SPDX-License-Identifier: MIT
// HttpClient.cc - Poco::Net::HTTPClientSession per request; the response is read completely.
#include "tests/support/HttpClient.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace im::test {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  const auto it = headers.find(lower(name));
  return it == headers.end() ? "" : it->second;
}

HttpResponse HttpClient::get(const std::string& target, const std::string& token, int timeoutS) const {
  std::map<std::string, std::string> headers;
  if (!token.empty()) headers["Authorization"] = "Bearer " + token;
  return request("GET", target, "", headers, timeoutS);
}

HttpResponse HttpClient::post(const std::string& target, const std::string& jsonBody, const std::string& token,
                              int timeoutS) const {
  std::map<std::string, std::string> headers{{"Content-Type", "application/json; charset=utf-8"}};
  if (!token.empty()) headers["Authorization"] = "Bearer " + token;
  return request("POST", target, jsonBody, headers, timeoutS);
}

HttpResponse HttpClient::request(const std::string& method, const std::string& target, const std::string& body,
                                 const std::map<std::string, std::string>& headers, int timeoutS) const {
  Poco::Net::HTTPClientSession session(host_, port_);
  session.setTimeout(Poco::Timespan(timeoutS, 0));
  Poco::Net::HTTPRequest req(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : headers) req.set(name, value);
  // A body-less POST still says Content-Length: 0, as a browser would.
  if (!body.empty() || method == "POST" || method == "PUT") {
    req.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  std::ostream& out = session.sendRequest(req);
  out << body;
  out.flush();

  Poco::Net::HTTPResponse res;
  std::istream& in = session.receiveResponse(res);
  HttpResponse response;
  response.status = static_cast<int>(res.getStatus());
  for (const auto& [name, value] : res) response.headers[lower(name)] = value;
  std::ostringstream text;
  Poco::StreamCopier::copyStream(in, text);
  response.body = text.str();
  return response;
}

}  // namespace im::test
