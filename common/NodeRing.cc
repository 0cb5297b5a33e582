// SPDX-License-Identifier: MIT
// NodeRing.cc - builds the ring of virtual-node points and looks users up on it.
#include "common/NodeRing.h"

#include <algorithm>

namespace im::common {

uint64_t ringHash(const void* data, size_t size) {
  uint64_t h = 14695981039346656037ULL;
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < size; ++i) {
    h ^= p[i];
    h *= 1099511628211ULL;
  }
  // FNV alone clusters similar short keys ("node#1", "node#2"); the finaliser spreads them.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

NodeRing::NodeRing(std::vector<std::string> nodes) : nodes_(std::move(nodes)) {
  std::sort(nodes_.begin(), nodes_.end());
  nodes_.erase(std::unique(nodes_.begin(), nodes_.end()), nodes_.end());
  ring_.reserve(nodes_.size() * kVirtualNodes);
  for (size_t i = 0; i < nodes_.size(); ++i) {
    for (int v = 0; v < kVirtualNodes; ++v) {
      const std::string point = nodes_[i] + "#" + std::to_string(v);
      ring_.emplace_back(ringHash(point.data(), point.size()), i);
    }
  }
  std::sort(ring_.begin(), ring_.end());
}

const std::string& NodeRing::nodeFor(uint64_t uid) const {
  static const std::string kNone;
  if (ring_.empty()) return kNone;
  const std::string key = std::to_string(uid);  // text, so every host hashes a uid alike
  const uint64_t h = ringHash(key.data(), key.size());
  auto it = std::lower_bound(ring_.begin(), ring_.end(), std::make_pair(h, size_t{0}));
  if (it == ring_.end()) it = ring_.begin();  // the ring wraps around
  return nodes_[it->second];
}

}  // namespace im::common
