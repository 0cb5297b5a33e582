// SPDX-License-Identifier: MIT
// RedisKeys.h - every Redis key name, and nothing else builds one (docs/internals.md lists them).
// Keys carry a {hash tag} so that a Redis Cluster keeps one user's (or node's) keys in one slot.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace im::common::RedisKeys {

// Hash: device session id -> "<node>|<unix_ms>": where each device's poll is held.
std::string session(uint64_t uid);

// Sorted set: uid scored by the unix ms of its last poll (presence, /im/online).
std::string presence();

// Sorted set: pushd node id scored by the unix ms of its last heartbeat.
std::string nodes();

// List: notifications for one pushd node (LPUSH by fcgi, BLMPOP RIGHT by the node).
std::string nodeNotify(std::string_view nodeId);

// String: the unix ms of a node's last heartbeat, set by every beat with the node's prune
// expiry. It outlives the node's entry in nodes() when fcgi drops a node after a failed
// hand-over, and goes with everything else when Redis loses its data: the node tells the two
// apart by it (pushd/NodeHeartbeat).
std::string nodeBeat(std::string_view nodeId);

// String counters of the fixed-window rate limits (INCR, expiring with their window).
// The send counter sits in the user's slot; login counters are keyed before any uid is known.
std::string sendRate(uint64_t uid);
std::string loginRateUser(std::string_view username);
std::string loginRateAddr(std::string_view remoteAddr);

// String set with NX PX 3000 when a typing event of `uid` in a conversation is passed on; while
// it lives, more typing there is dropped. `conversation` is "u<other uid>" or "g<group id>".
std::string typingGate(uint64_t uid, std::string_view conversation);

// String: what a token's lookup in MySQL found (fcgi/redis/TokenCache), a fill's ticket, or a
// revocation's tombstone. Keyed by the token's SHA-256 alone: the uid is what the lookup finds,
// so it cannot tag the key (in a Redis Cluster these keys spread over all slots).
std::string authToken(std::string_view tokenHashHex);

// Sorted set, member the Redis server's run_id, score the mailbox's last seq: written by a send
// before its commit (fcgi/redis/SeqHint), so a re-poll with since = that seq can skip MySQL.
std::string lastSeq(uint64_t uid);

}  // namespace im::common::RedisKeys
