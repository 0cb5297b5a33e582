// SPDX-License-Identifier: MIT
// Db.cc - connection setup (timeouts, UTC, strict mode, utf8mb4, Galera readiness), node choice
// and failover, statement cache, the retry of whole transactions, error mapping.
#include "fcgi/Db.h"

#include <cppconn/driver.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "common/ApiError.h"
#include "common/Clock.h"
#include "common/HostList.h"
#include "common/Log.h"

namespace im::fcgi {
namespace {

// Bounded so that an outage answers 503 in bounded time instead of hanging a worker, and a
// dead node is left for the next one within seconds.
constexpr int kConnectTimeoutS = 2;
constexpr int kReadTimeoutS = 10;
constexpr int kWriteTimeoutS = 10;
constexpr int64_t kIdleCheckMs = 30 * 1000;
// A node that failed is tried last for this long; a worker that failed over goes back to its
// preferred node after this long (the load spreads again once the node is back).
constexpr int64_t kNodeDownMs = 10 * 1000;
constexpr int64_t kReturnHomeMs = 30 * 1000;
// wsrep_local_state 4: Synced (Joiner, Donor/Desynced and Joined are not ready for us).
constexpr int kWsrepSynced = 4;

int64_t nowMs() { return common::SystemClock().steadyMs(); }

// An autocommit write commits on its own: losing its answer leaves its outcome unknown.
bool isWrite(const std::string& sql) {
  const char c = sql.empty() ? ' ' : sql.front();
  return c == 'I' || c == 'U' || c == 'D' || c == 'R';
}

}  // namespace

Db::Db(common::MysqlConfig config) : config_(std::move(config)), jitter_(static_cast<unsigned>(::getpid())) {
  for (const auto& hp : common::parseHostList("mysql.hosts", config_.hosts, config_.port)) {
    nodes_.push_back(Node{hp.host, hp.port, "", 0});
  }
  if (nodes_.empty()) nodes_.push_back(Node{config_.host, config_.port, config_.socket, 0});
}

Db::~Db() = default;

void Db::prefer(int slot) {
  if (slot >= 0) preferred_ = static_cast<size_t>(slot) % nodes_.size();
}

// The preferred node first, then the next ones in ring order; nodes that failed lately last.
std::vector<size_t> Db::connectOrder(int64_t now) const {
  std::vector<size_t> up, down;
  for (size_t k = 0; k < nodes_.size(); ++k) {
    const size_t i = (preferred_ + k) % nodes_.size();
    (nodes_[i].downUntilMs > now ? down : up).push_back(i);
  }
  up.insert(up.end(), down.begin(), down.end());
  return up;
}

void Db::connect() {
  drop();
  const int64_t now = nowMs();
  for (const size_t i : connectOrder(now)) {
    try {
      connectTo(nodes_[i]);
      if (galeraReady()) {
        current_ = i;
        connectedMs_ = now;
        connectFailed_ = false;
        IM_INFO("db", "connected to MariaDB at " + nodes_[i].label());
        return;
      }
      IM_WARN("db", "MariaDB node " + nodes_[i].label() + " is not Synced; trying the next one");
    } catch (const sql::SQLException& e) {
      IM_WARN("db", "cannot connect to MariaDB at " + nodes_[i].label() + ": error " +
                           std::to_string(e.getErrorCode()));
    }
    drop();
    nodes_[i].downUntilMs = now + kNodeDownMs;
  }
  connectFailed_ = true;
  throw sql::SQLException("no MariaDB node takes connections", "HY000", 2003);
}

void Db::connectTo(const Node& node) {
  sql::ConnectOptionsMap options;
  if (node.socket.empty()) {
    options["hostName"] = sql::SQLString(node.host);
    options["port"] = node.port;
  } else {
    // A same-host MariaDB over its unix socket: no TCP stack on each of a request's round trips.
    options["hostName"] = sql::SQLString("localhost");
    options["socket"] = sql::SQLString(node.socket);
  }
  options["userName"] = sql::SQLString(config_.user);
  options["password"] = sql::SQLString(config_.password);
  options["schema"] = sql::SQLString(config_.database);
  options["OPT_CONNECT_TIMEOUT"] = kConnectTimeoutS;
  options["OPT_READ_TIMEOUT"] = kReadTimeoutS;
  options["OPT_WRITE_TIMEOUT"] = kWriteTimeoutS;
  options["OPT_RECONNECT"] = false;  // a silent reconnect would lose the session settings below
  options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  sql::Driver* driver = sql::mysql::get_mysql_driver_instance();
  conn_.reset(driver->connect(options));
  std::unique_ptr<sql::Statement> st(conn_->createStatement());
  st->execute("SET NAMES utf8mb4 COLLATE utf8mb4_bin");
  st->execute("SET time_zone = '+00:00'");
  st->execute("SET sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,"
              "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'");
  conn_->setAutoCommit(true);
}

// Not Galera (no wsrep status): ready. Galera: only a Synced node; and its reads wait until the
// node applied every write the cluster committed before (wsrep_sync_wait = 1), so a poll or a
// history read on one node sees a send that committed on another and was already notified.
bool Db::galeraReady() {
  std::unique_ptr<sql::Statement> st(conn_->createStatement());
  ResultSetPtr rs(st->executeQuery(
      "SELECT @@wsrep_on, (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
      "WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE')"));
  if (!rs->next() || !rs->getBoolean(1)) return true;
  if (rs->isNull(2) || rs->getInt(2) != kWsrepSynced) return false;
  st->execute("SET SESSION wsrep_sync_wait = 1");
  galera_ = true;
  return true;
}

void Db::drop() noexcept {
  txStmt_.reset();
  galera_ = false;
  stmts_.clear();
  conn_.reset();
  inTransaction_ = false;
}

void Db::ensureConnected() {
  // A connection idle this long may have been closed by the server (restart, wait_timeout).
  // Reconnect rather than ping: the C client's ping may silently reconnect and lose the
  // session settings of connect(). Costs one local connect per quiet spell. Never inside a
  // transaction: a statement that waited long on a lock must not lose its transaction.
  const int64_t now = nowMs();
  if (conn_ && !inTransaction_ &&
      (now - lastUsedMs_ > kIdleCheckMs || (current_ != preferred_ && now - connectedMs_ > kReturnHomeMs))) {
    IM_DEBUG("db", "connection idle or away from its preferred node; reconnecting");
    drop();
  }
  lastUsedMs_ = now;
  if (!conn_) connect();
}

sql::PreparedStatement& Db::prepare(const std::string& sql) {
  ensureConnected();
  if (!inTransaction_ && isWrite(sql)) sentCommit_ = true;
  auto it = stmts_.find(sql);
  if (it == stmts_.end()) {
    it = stmts_.emplace(sql, std::unique_ptr<sql::PreparedStatement>(conn_->prepareStatement(sql))).first;
  }
  it->second->clearParameters();
  return *it->second;
}

uint64_t Db::lastInsertId() {
  auto rs = query(prepare("SELECT LAST_INSERT_ID()"));
  return rs->next() ? rs->getUInt64(1) : 0;
}

void Db::ping() {
  call([&] { query(prepare("SELECT 1"))->next(); });
}

// START TRANSACTION ... COMMIT leaves the session's autocommit on, so a transaction costs two
// round trips around its statements; setAutoCommit(false), commit(), setAutoCommit(true) cost
// three (bench/README.md "send throughput").
void Db::begin() {
  ensureConnected();
  if (!txStmt_) txStmt_.reset(conn_->createStatement());
  txStmt_->execute("START TRANSACTION");
  // A causal read first (wsrep_sync_wait covers SELECTs): the node has applied every commit the
  // client was answered for, wherever it ran, so a sender's next message takes a higher
  // auto_increment id (Galera's per-node offsets) and reads what its last write wrote.
  if (galera_) ResultSetPtr(txStmt_->executeQuery("SELECT 1"))->next();
  inTransaction_ = true;
}

// COMMIT as a statement, not Connection::commit(): Connector/C++ 1.1's commit() ignores the
// server's answer, and on Galera COMMIT is where a certification conflict is reported (1213): the
// transaction is gone, and commit() would have let the caller answer 200 for nothing stored.
void Db::commit() {
  sentCommit_ = true;
  txStmt_->execute("COMMIT");
  inTransaction_ = false;
}

void Db::rollback() noexcept {
  try {
    if (conn_) conn_->rollback();
    inTransaction_ = false;
  } catch (const std::exception&) {
    drop();  // unknown state: start afresh on the next call
  }
}

void Db::recover(const sql::SQLException& e, int attempt, Replay replay) {
  const int code = e.getErrorCode();
  const bool lost = dbConnectionLost(code) || !conn_ || conn_->isClosed();
  if (lost || dbNodeUnusable(code)) {
    if (!connectFailed_) nodes_[current_].downUntilMs = nowMs() + kNodeDownMs;
    drop();  // the next attempt connects, to another node first
  } else {
    rollback();
  }
  const DbVerdict verdict = classifyDbError(code, sentCommit_);
  const bool again = verdict == DbVerdict::Retry ||
                     (verdict == DbVerdict::RetryIfIdempotent && replay == Replay::EvenAfterLostCommit);
  if (!again || connectFailed_ || attempt >= kMaxAttempts) fail(e);
  IM_INFO("db", "transaction retried after MariaDB error " + std::to_string(code) + " (attempt " +
                    std::to_string(attempt + 1) + ")");
  const double draw = std::uniform_real_distribution<double>(0.0, 1.0)(jitter_);
  std::this_thread::sleep_for(std::chrono::milliseconds(dbRetryDelayMs(attempt + 1, draw)));
}

void Db::fail(const sql::SQLException& e) {
  IM_ERROR("db", "MariaDB error " + std::to_string(e.getErrorCode()) + " (SQLSTATE " + e.getSQLState() + ")");
  if (dbConnectionLost(e.getErrorCode()) || !conn_ || conn_->isClosed()) {
    drop();  // reconnect on the next call
  } else {
    rollback();
  }
  throw common::ApiError(common::ErrorCode::Unavailable, "The database is unavailable.");
}

}  // namespace im::fcgi
