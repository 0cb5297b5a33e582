// SPDX-License-Identifier: MIT
// FixtureStore.cc - the SQL of fixture users: each statement takes the whole batch as one JSON
// parameter (JSON_TABLE), so a batch of thousands is four statements and one commit.
#include "fcgi/store/FixtureStore.h"

#include "common/ApiError.h"
#include "common/Json.h"
#include "common/Time.h"

namespace im::fcgi {
namespace {

// The batch's rows: n (username), h (token hash, hex), i (position in the batch).
constexpr const char* kRows =
    "JSON_TABLE(?, '$[*]' COLUMNS (i INT PATH '$.i', n VARCHAR(32) CHARACTER SET ascii PATH '$.n', "
    "h CHAR(64) CHARACTER SET ascii PATH '$.h')) j";

std::string batchJson(const std::vector<FixtureUser>& users) {
  common::JsonWriter w;
  w.beginArray();
  for (size_t i = 0; i < users.size(); ++i) {
    w.beginObject().key("i").number(static_cast<uint64_t>(i)).key("n").string(users[i].username);
    w.key("h").string(users[i].tokenHashHex).endObject();
  }
  w.endArray();
  return w.take();
}

}  // namespace

// Multi-row VALUES, not INSERT ... SELECT: InnoDB reserves ids for a row count it knows in
// advance exactly, so a batch's ids follow the previous batch's without a gap (an INSERT ...
// SELECT reserves them in doubling chunks and leaves holes; bench/ addresses users by range).
void FixtureStore::insertUsers(const std::vector<FixtureUser>& users, const std::string& passwordHash,
                               const std::string& now) {
  std::string sql = "INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, ?)";
  for (size_t i = 1; i < users.size(); ++i) sql += ", (?, ?, ?)";
  auto& insert = db_.prepare(sql);
  for (size_t i = 0; i < users.size(); ++i) {
    const auto at = static_cast<unsigned>(3 * i);
    insert.setString(at + 1, users[i].username);
    insert.setString(at + 2, passwordHash);
    insert.setString(at + 3, now);
  }
  insert.executeUpdate();
}

std::vector<uint64_t> FixtureStore::addUsers(const std::vector<FixtureUser>& users, const std::string& passwordHash,
                                             const std::string& device, int64_t nowMs) {
  const std::string rows = batchJson(users), now = common::formatSqlDateTime(nowMs);
  const std::string byName = std::string(kRows) + " JOIN users u ON u.username = j.n COLLATE ascii_bin";
  return db_.call([&] {
    try {
      Transaction tx(db_);
      insertUsers(users, passwordHash, now);
      auto& counters = db_.prepare("INSERT INTO inbox_counters (user_id, last_seq) SELECT u.id, 0 FROM " + byName);
      counters.setString(1, rows);
      counters.executeUpdate();
      auto& sessions = db_.prepare(
          "INSERT INTO sessions (user_id, token_hash, device, acked_seq, created_at, last_used_at) "
          "SELECT u.id, UNHEX(j.h), ?, 0, ?, ? FROM " + byName);
      sessions.setString(1, device);
      sessions.setString(2, now);
      sessions.setString(3, now);
      sessions.setString(4, rows);
      sessions.executeUpdate();
      auto& ids = db_.prepare("SELECT u.id FROM " + byName + " ORDER BY j.i");
      ids.setString(1, rows);
      auto rs = db_.query(ids);
      std::vector<uint64_t> out;
      while (rs->next()) out.push_back(rs->getUInt64(1));
      tx.commit();
      return out;
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != kErrDuplicateKey) throw;
      throw common::ApiError(common::ErrorCode::Conflict, "A fixture username is already taken.");
    }
  });
}

}  // namespace im::fcgi
