// SPDX-License-Identifier: MIT
// Db.h - one MariaDB connection per worker over Connector/C++ 1.1: opened lazily, bounded
// timeouts, prepared statements cached by SQL text, reconnect after a lost connection.
// Every sql::SQLException leaving call() becomes ApiError(Unavailable) ("nothing was written").
#pragma once

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "common/Config.h"

namespace im::fcgi {

// MariaDB error numbers the stores handle themselves.
inline constexpr int kErrDuplicateKey = 1062;
inline constexpr int kErrLockWaitTimeout = 1205;
inline constexpr int kErrDeadlock = 1213;

using ResultSetPtr = std::unique_ptr<sql::ResultSet>;

class Db {
 public:
  explicit Db(common::MysqlConfig config);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

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

  // Runs `fn`; an sql::SQLException escaping it is logged (code and state, never
  // parameters) and rethrown as ApiError(Unavailable).
  template <typename F>
  auto call(F&& fn) -> decltype(fn()) {
    try {
      return fn();
    } catch (const sql::SQLException& e) {
      fail(e);
    }
  }
  [[noreturn]] void fail(const sql::SQLException& e);

 private:
  void connect();
  void ensureConnected();  // reconnects an idle connection (never inside a transaction)
  void drop() noexcept;    // forgets the connection and its statements

  common::MysqlConfig config_;
  int64_t lastUsedMs_ = 0;  // steady ms of the last prepare(): an idle connection is checked first
  bool inTransaction_ = false;  // between begin() and commit()/rollback()
  std::unique_ptr<sql::Connection> conn_;  // declared before the statements: they die first
  std::unique_ptr<sql::Statement> txStmt_;  // runs START TRANSACTION
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
