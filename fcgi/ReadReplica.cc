// SPDX-License-Identifier: MIT
// ReadReplica.cc - the replica choice of ReadReplica.h.
#include "fcgi/ReadReplica.h"

#include "common/ApiError.h"
#include "common/Clock.h"
#include "common/Log.h"
#include "fcgi/store/UserSeqStore.h"

namespace im::fcgi {
namespace {

// A replica that failed is left alone this long: each read would otherwise wait for its
// connect timeout before falling back.
constexpr int64_t kReplicaDownMs = 10 * 1000;

common::MysqlConfig replicaConfig(const common::MysqlConfig& config) {
  common::MysqlConfig c = config;
  c.hosts = config.replicas;
  c.socket.clear();
  return c;
}

}  // namespace

ReadReplica::ReadReplica(Db& primary, const common::MysqlConfig& config)
    : primaryDb_(primary), primaryStores_(primary) {
  if (config.replicas.empty()) return;
  replicaDb_ = std::make_unique<Db>(replicaConfig(config));
  replicaStores_ = std::make_unique<ReadStores>(*replicaDb_);
}

ReadReplica::~ReadReplica() = default;

ReadStores& ReadReplica::forUser(uint64_t uid) {
  const int64_t now = common::SystemClock().steadyMs();
  if (!replicaDb_ || now < skipUntilMs_) return primaryStores_;
  const uint64_t delivered = lastSeqOf(primaryDb_, uid);
  try {
    if (lastSeqOf(*replicaDb_, uid) < delivered) return primaryStores_;  // lagging for this user
  } catch (const common::ApiError&) {
    IM_WARN("db", "the read replica does not answer; reading from the primary for a while");
    skipUntilMs_ = now + kReplicaDownMs;
    return primaryStores_;
  }
  return *replicaStores_;
}

}  // namespace im::fcgi
