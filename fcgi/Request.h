// SPDX-License-Identifier: MIT
// Request.h - one HTTP request as the handlers see it: method, path, query, bounded body,
// bearer token, peer address and the route's path parameters. A plain value, so tests build it.
#pragma once

#include <fcgiapp.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/Protocol.h"

namespace im::fcgi {

class Request {
 public:
  // Bodies above this are refused with 413 before they are read.
  static constexpr size_t kMaxBodyBytes = 64 * 1024;

  Request() = default;
  Request(std::string method, std::string path, std::string query = {}, std::string body = {});

  // Reads the FastCGI params and the body (throws ApiError TooLarge / BadRequest).
  static Request fromFcgi(FCGX_Request& raw);

  const std::string& method() const { return method_; }
  const std::string& path() const { return path_; }
  const common::QueryParams& query() const { return query_; }
  const std::string& body() const { return body_; }
  // The token of "Authorization: Bearer <token>", "" when absent. Secret: never logged.
  const std::string& bearerToken() const { return token_; }
  const std::string& remoteAddr() const { return remoteAddr_; }
  // The pushd node nginx could not reach when it re-enters a poll here (FastCGI param
  // IM_FAILED_NODE, set only by nginx's internal @im_pushd_failed location: a client's
  // headers arrive as HTTP_* params and cannot forge it). "" on every ordinary request.
  const std::string& failedNode() const { return failedNode_; }
  // Whether that hand-over went over the node's unix socket (IM_FAILED_SOCKET, from the same
  // location): then the failure need not be the node's (fcgi/NodeSockets).
  bool failedOverSocket() const { return failedOverSocket_; }
  void setFailedNode(std::string node, bool overSocket = false) {
    failedNode_ = std::move(node);
    failedOverSocket_ = overSocket;
  }
  // The Origin and Host headers ("" when absent), for fcgi/CorsPolicy.
  const std::string& origin() const { return origin_; }
  const std::string& host() const { return host_; }
  void setOrigin(std::string origin, std::string host) {
    origin_ = std::move(origin);
    host_ = std::move(host);
  }

  // The {id}s of a route pattern such as /im/groups/{id}/members/{id}, in path order (0 past
  // the last); set by the Router.
  uint64_t pathId(size_t index = 0) const { return index < pathIds_.size() ? pathIds_[index] : 0; }
  void setPathIds(std::vector<uint64_t> ids) { pathIds_ = std::move(ids); }
  void setBearerToken(std::string token) { token_ = std::move(token); }

 private:
  std::string method_;
  std::string path_;
  common::QueryParams query_;
  std::string body_;
  std::string token_;
  std::string remoteAddr_;
  std::string failedNode_;
  bool failedOverSocket_ = false;
  std::string origin_;
  std::string host_;
  std::vector<uint64_t> pathIds_;
};

// "Bearer abc" -> "abc" (scheme case-insensitive); "" for anything else.
std::string parseBearer(std::string_view authorization);

}  // namespace im::fcgi
