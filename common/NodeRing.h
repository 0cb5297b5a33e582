// SPDX-License-Identifier: MIT
// NodeRing.h - consistent hashing of users onto live pushd nodes, with virtual nodes,
// so that adding or removing one node moves only that node's share of users.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace im::common {

class NodeRing {
 public:
  static constexpr int kVirtualNodes = 160;

  explicit NodeRing(std::vector<std::string> nodes = {});

  // The node that holds `uid`'s polls; empty when there is no live node.
  const std::string& nodeFor(uint64_t uid) const;
  const std::vector<std::string>& nodes() const { return nodes_; }
  bool empty() const { return nodes_.empty(); }

 private:
  std::vector<std::string> nodes_;                  // sorted, unique
  std::vector<std::pair<uint64_t, size_t>> ring_;  // (point, index into nodes_), sorted by point
};

// 64-bit FNV-1a followed by a murmur3 finaliser: stable across processes and builds.
uint64_t ringHash(const void* data, size_t size);

}  // namespace im::common
