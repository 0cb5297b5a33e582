// SPDX-License-Identifier: MIT
// HttpClient.h - a real HTTP/1.1 client over loopback (Poco::Net) for the integration tests.
// One connection per request, so one client may be used from several threads at once.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace im::test {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  // The header's value, or "" when absent. `name` in any case.
  std::string header(const std::string& name) const;
};

class HttpClient {
 public:
  HttpClient(std::string host, uint16_t port) : host_(std::move(host)), port_(port) {}

  // `token` non-empty -> "Authorization: Bearer <token>". `timeoutS` bounds the whole
  // exchange; a long poll needs more than its own timeout.
  HttpResponse get(const std::string& target, const std::string& token = "", int timeoutS = 15) const;
  HttpResponse post(const std::string& target, const std::string& jsonBody, const std::string& token = "",
                    int timeoutS = 15) const;
  // Anything else: arbitrary method, body and headers (raw bytes, no JSON check).
  HttpResponse request(const std::string& method, const std::string& target, const std::string& body,
                       const std::map<std::string, std::string>& headers, int timeoutS = 15) const;

  uint16_t port() const { return port_; }

 private:
  std::string host_;
  uint16_t port_;
};

}  // namespace im::test
