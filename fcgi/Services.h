// SPDX-License-Identifier: MIT
// Services.h - what a handler gets: config, clock, the worker's one MariaDB and one Redis
// connection (both opened lazily, reconnected after a loss), the stores, the Redis helpers and
// the rate limiter.
// Built once per worker process; owns everything it hands out.
#pragma once

#include "common/Clock.h"
#include "common/Config.h"
#include "common/RedisClient.h"
#include "fcgi/Db.h"
#include "fcgi/NodeSockets.h"
#include "fcgi/ReadReplica.h"
#include "fcgi/process/PoolMetrics.h"
#include "fcgi/redis/DeviceDirectory.h"
#include "fcgi/redis/NodeDirectory.h"
#include "fcgi/redis/Notifier.h"
#include "fcgi/redis/Presence.h"
#include "fcgi/redis/RateLimiter.h"
#include "fcgi/redis/SeqHint.h"
#include "fcgi/redis/TokenCache.h"
#include "fcgi/redis/TypingGate.h"
#include "fcgi/store/AckQueue.h"
#include "fcgi/store/ConversationStore.h"
#include "fcgi/store/GroupStore.h"
#include "fcgi/store/InboxStore.h"
#include "fcgi/store/MembershipStore.h"
#include "fcgi/store/MessageStore.h"
#include "fcgi/store/SessionStore.h"
#include "fcgi/store/UserStore.h"

namespace im::fcgi {

struct Services {
  Services(common::Config cfg, const common::Clock& clk)
      : config(std::move(cfg)),
        clock(clk),
        db(config.mysql),
        redis(config.redis),
        users(db),
        sessions(db),
        tokens(redis, clock),
        messages(db),
        inbox(db),
        acks(inbox, clock),
        groups(db),
        membership(db, messages),
        nodes(redis, clock, config.pushd.nodeTtlMs),
        nodeSockets(config.pushd.socketDir, clock),
        devices(redis, clock, config.poll.maxTimeout),
        presence(redis, clock, config, devices),
        notifier(redis, devices),
        rateLimiter(redis, clock, config.limits),
        typingGate(redis),
        conversations(db),
        reads(db, config.mysql),
        hints(redis) {
    messages.onAllocated([this](const std::vector<common::Recipient>& r) { hints.raise(r); });
  }
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  const common::Config config;
  const common::Clock& clock;
  Db db;
  common::RedisClient redis;
  UserStore users;
  SessionStore sessions;
  TokenCache tokens;  // what the auth SELECT found, for a minute; revocation tombstones
  MessageStore messages;
  InboxStore inbox;
  AckQueue acks;  // the polls' acknowledgements, written in batches by WorkerLoop
  GroupStore groups;
  MembershipStore membership;
  NodeDirectory nodes;
  NodeSockets nodeSockets;  // which nodes nginx reaches over their unix socket (the hand-over)
  DeviceDirectory devices;
  Presence presence;
  Notifier notifier;
  RateLimiter rateLimiter;
  TypingGate typingGate;
  ConversationStore conversations;
  // history and search of one user: on a replica holding all of that user's messages, else here.
  ReadReplica reads;
  SeqHint hints;  // each mailbox's last seq, written by deliver() before its commit
  // The pool's shared counters and this worker's slot in them (set by the master's fork;
  // null in tests that build Services alone).
  PoolMetrics* poolMetrics = nullptr;
  int workerSlot = -1;
};

}  // namespace im::fcgi
