// SPDX-License-Identifier: MIT
// Db.h - one MariaDB connection per worker over Connector/C++ 1.1: opened lazily on the worker's
// preferred node (mysql.hosts: worker i prefers node i mod N, and fails over to the next live
// one), bounded timeouts, prepared statements cached by SQL text, reconnect after a loss.
// call() is the one retry helper: a transaction that Galera's certification (or a deadlock, a
// node going away before COMMIT) rolled back runs again whole, with jitter, a bounded number of
// times; whatever still fails becomes ApiError(Unavailable) ("nothing was written").
#pragma once

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/Config.h"
#include "fcgi/DbRetry.h"

namespace im::fcgi {

using ResultSetPtr = std::unique_ptr<sql::ResultSet>;

// Whether a call may run again after its COMMIT was sent but not answered: only when running it
// twice stores it once (a send with a client_msg_id finds the first one by its unique key).
enum class Replay { OnlyIfRolledBack, EvenAfterLostCommit };

class Db {
 public:
  static constexpr int kMaxAttempts = 5;

  // The nodes are config.hosts when set, else config.socket or config.host:port.
  explicit Db(common::MysqlConfig config);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // This worker's slot: it prefers node slot mod N (effective at the next connect).
  void prefer(int slot);

  // The cached prepared statement for `sql` (connecting first if needed).
  sql::PreparedStatement& prepare(const std::string& sql);
  ResultSetPtr query(sql::PreparedStatement& stmt) { return ResultSetPtr(stmt.executeQuery()); }
  // LAST_INSERT_ID() of this connection.
  uint64_t lastInsertId();
  // SELECT 1 (health); ApiError(Unavailable) when MariaDB does not answer.
  void ping();

  // begin() runs START TRANSACTION (the session's autocommit stays on); commit() runs COMMIT.
  void begin();
  void commit();
  void rollback() noexcept;  // best effort; drops the connection if even that fails

  // Runs `fn`, the whole unit of work (its own Transaction included). An sql::SQLException
  // escaping it is logged (code and state, never parameters); when DbRetry says the work was
  // rolled back (or `replay` allows a lost COMMIT) `fn` runs again, on another node if its node
  // is gone, up to kMaxAttempts; else ApiError(Unavailable). A call() inside a call() just runs
  // `fn`: only the outermost one can retry the whole transaction.
  template <typename F>
  auto call(F&& fn, Replay replay = Replay::OnlyIfRolledBack) -> decltype(fn()) {
    if (depth_ > 0) return fn();
    const Depth depth(depth_);
    for (int attempt = 1;; ++attempt) {
      sentCommit_ = false;
      try {
        return fn();
      } catch (const sql::SQLException& e) {
        recover(e, attempt, replay);  // returns only when `fn` is to run again
      }
    }
  }
  [[noreturn]] void fail(const sql::SQLException& e);

 private:
  struct Depth {
    explicit Depth(int& d) : d_(d) { ++d_; }
    ~Depth() { --d_; }
    int& d_;
  };
  struct Node {
    std::string host;
    int port = 0;
    std::string socket;
    int64_t downUntilMs = 0;  // skipped (tried last) until then after it failed
    std::string label() const { return socket.empty() ? host + ":" + std::to_string(port) : socket; }
  };

  void recover(const sql::SQLException& e, int attempt, Replay replay);
  void connect();
  void connectTo(const Node& node);
  bool galeraReady();  // on a Galera node: Synced; also turns on causal reads
  std::vector<size_t> connectOrder(int64_t nowMs) const;
  void ensureConnected();  // reconnects an idle or failed-over connection (never inside a transaction)
  void drop() noexcept;    // forgets the connection and its statements

  common::MysqlConfig config_;
  std::vector<Node> nodes_;
  size_t preferred_ = 0;
  size_t current_ = 0;        // index into nodes_ while connected
  int64_t connectedMs_ = 0;   // steady ms of the last connect
  int64_t lastUsedMs_ = 0;  // steady ms of the last prepare(): an idle connection is checked first
  bool inTransaction_ = false;  // between begin() and commit()/rollback()
  bool sentCommit_ = false;     // this attempt sent a COMMIT or an autocommit write
  bool connectFailed_ = false;  // the last failure was that no node would take a connection
  int depth_ = 0;               // nesting of call()
  std::minstd_rand jitter_;
  std::unique_ptr<sql::Connection> conn_;  // declared before the statements: they die first
  std::unique_ptr<sql::Statement> txStmt_;  // runs START TRANSACTION and COMMIT
  bool galera_ = false;  // connected to a Galera node
  std::unordered_map<std::string, std::unique_ptr<sql::PreparedStatement>> stmts_;
};

// Rolls back in the destructor unless commit() ran.
class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db) { db_.begin(); }
  ~Transaction() {
    if (!done_) db_.rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit() {
    db_.commit();
    done_ = true;
  }

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace im::fcgi
