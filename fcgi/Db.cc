// SPDX-License-Identifier: MIT
// Db.cc - connection setup (timeouts, UTC, strict mode, utf8mb4), statement cache, error mapping.
#include "fcgi/Db.h"

#include <cppconn/driver.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include "common/ApiError.h"
#include "common/Clock.h"
#include "common/Log.h"

namespace im::fcgi {
namespace {

// Bounded so that an outage answers 503 in bounded time instead of hanging a worker.
constexpr int kConnectTimeoutS = 3;
constexpr int kReadTimeoutS = 10;
constexpr int kWriteTimeoutS = 10;
constexpr int64_t kIdleCheckMs = 30 * 1000;

// Client errors after which the connection is gone (server gone away, lost, ...).
bool connectionLost(int code) { return code == 2006 || code == 2013 || code == 2055 || code == 2002 || code == 2003; }

}  // namespace

Db::Db(common::MysqlConfig config) : config_(std::move(config)) {}

Db::~Db() = default;

void Db::connect() {
  drop();
  sql::ConnectOptionsMap options;
  if (config_.socket.empty()) {
    options["hostName"] = sql::SQLString(config_.host);
    options["port"] = config_.port;
  } else {
    // A same-host MariaDB over its unix socket: no TCP stack on each of a request's round trips.
    options["hostName"] = sql::SQLString("localhost");
    options["socket"] = sql::SQLString(config_.socket);
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
  IM_INFO("db", "connected to MariaDB at " +
                    (config_.socket.empty() ? config_.host + ":" + std::to_string(config_.port) : config_.socket));
}

void Db::drop() noexcept {
  txStmt_.reset();
  stmts_.clear();
  conn_.reset();
  inTransaction_ = false;
}

void Db::ensureConnected() {
  // A connection idle this long may have been closed by the server (restart, wait_timeout).
  // Reconnect rather than ping: the C client's ping may silently reconnect and lose the
  // session settings of connect(). Costs one local connect per quiet spell. Never inside a
  // transaction: a statement that waited long on a lock must not lose its transaction.
  const int64_t now = common::SystemClock().steadyMs();
  if (conn_ && now - lastUsedMs_ > kIdleCheckMs && !inTransaction_) {
    IM_DEBUG("db", "connection idle for a while; reconnecting");
    drop();
  }
  lastUsedMs_ = now;
  if (!conn_) connect();
}

sql::PreparedStatement& Db::prepare(const std::string& sql) {
  ensureConnected();
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
  inTransaction_ = true;
}

void Db::commit() {
  conn_->commit();
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

void Db::fail(const sql::SQLException& e) {
  IM_ERROR("db", "MariaDB error " + std::to_string(e.getErrorCode()) + " (SQLSTATE " + e.getSQLState() + ")");
  if (connectionLost(e.getErrorCode()) || !conn_ || conn_->isClosed()) {
    drop();  // reconnect on the next call
  } else {
    rollback();
  }
  throw common::ApiError(common::ErrorCode::Unavailable, "The database is unavailable.");
}

}  // namespace im::fcgi
