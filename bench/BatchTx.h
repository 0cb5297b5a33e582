// SPDX-License-Identifier: MIT
// BatchTx.h - im-mysql-tx's batched send transaction: B direct sends with the statements of
// fcgi/store/SendBatch (one multi-row INSERT of the messages, one counter UPDATE, one inbox INSERT
// RETURNING the seqs, one conversations upsert), on one connection. Keep it in step with SendBatch.
#pragma once

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>

#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace im::bench {

class BatchTx {
 public:
  explicit BatchTx(sql::Connection& conn);

  // Inside the connection's open transaction: stores one message per (from, to) pair.
  void run(const std::vector<std::pair<uint64_t, uint64_t>>& sends);

 private:
  sql::PreparedStatement& messages(size_t rows);  // one text per row count, as Db caches them

  sql::Connection& conn_;
  std::map<size_t, std::unique_ptr<sql::PreparedStatement>> messages_;
  std::unique_ptr<sql::PreparedStatement> bump_, inbox_, conversations_;
};

}  // namespace im::bench
