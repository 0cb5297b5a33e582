// SPDX-License-Identifier: MIT
// ListenQueue.cc - one NETLINK_SOCK_DIAG request for the socket's inode, asking for
// UNIX_DIAG_RQLEN (for a listener: current accept backlog, max backlog).
#include "fcgi/process/ListenQueue.h"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "common/UniqueFd.h"

namespace im::fcgi {
namespace {

struct DiagRequest {
  nlmsghdr header;
  unix_diag_req body;
};

constexpr size_t align4(size_t n) { return (n + 3) & ~size_t{3}; }  // NLMSG_ALIGN, RTA_ALIGN

// The kernel's NLMSG_*/RTA_* macros are C casts; the same walk with memcpy and offsets.
std::optional<ListenQueue> parse(const char* data, size_t size) {
  nlmsghdr header{};
  if (size < sizeof header) return std::nullopt;
  std::memcpy(&header, data, sizeof header);
  // One answer to one exact request; NLMSG_ERROR: no such socket.
  if (header.nlmsg_type != SOCK_DIAG_BY_FAMILY || header.nlmsg_len > size) return std::nullopt;
  size_t at = align4(sizeof(nlmsghdr)) + align4(sizeof(unix_diag_msg));
  while (at + sizeof(rtattr) <= header.nlmsg_len) {
    rtattr attr{};
    std::memcpy(&attr, data + at, sizeof attr);
    if (attr.rta_len < sizeof attr || at + attr.rta_len > header.nlmsg_len) break;
    if (attr.rta_type == UNIX_DIAG_RQLEN && attr.rta_len >= align4(sizeof attr) + sizeof(unix_diag_rqlen)) {
      unix_diag_rqlen q{};
      std::memcpy(&q, data + at + align4(sizeof attr), sizeof q);
      return ListenQueue{q.udiag_rqueue, q.udiag_wqueue};
    }
    at += align4(attr.rta_len);
  }
  return std::nullopt;
}

}  // namespace

std::optional<ListenQueue> listenQueueOf(int fd) {
  struct stat st {};
  if (fd < 0 || fstat(fd, &st) != 0) return std::nullopt;
  common::UniqueFd nl(socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
  if (nl.get() < 0) return std::nullopt;
  DiagRequest request{};
  request.header.nlmsg_len = sizeof request;
  request.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  request.header.nlmsg_flags = NLM_F_REQUEST;
  request.body.sdiag_family = AF_UNIX;
  request.body.udiag_states = ~0u;
  request.body.udiag_ino = static_cast<uint32_t>(st.st_ino);
  request.body.udiag_show = UDIAG_SHOW_RQLEN;
  request.body.udiag_cookie[0] = request.body.udiag_cookie[1] = ~0u;  // INET_DIAG_NOCOOKIE
  if (send(nl.get(), &request, sizeof request, 0) != static_cast<ssize_t>(sizeof request)) return std::nullopt;
  alignas(nlmsghdr) char answer[8192];
  const ssize_t n = recv(nl.get(), answer, sizeof answer, 0);
  if (n <= 0) return std::nullopt;
  return parse(answer, static_cast<size_t>(n));
}

}  // namespace im::fcgi
