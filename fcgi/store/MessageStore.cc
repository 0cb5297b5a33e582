// SPDX-License-Identifier: MIT
// MessageStore.cc - the SQL of a send. Seqs are allocated by bumping inbox_counters rows, whose
// row locks serialise each user's inbox writers, so seqs commit in order and without gaps.
// INSERT ... RETURNING (MariaDB >= 10.5) hands back the message id and the inbox rows' seqs in
// the insert's own round trip: a direct send's transaction is START, 3 statements, COMMIT (it
// was 7 round trips with SELECT LAST_INSERT_ID() and a SELECT of the seqs; bench/README.md).
#include "fcgi/store/MessageStore.h"

#include <algorithm>
#include <map>
#include <string>

#include "common/ApiError.h"
#include "common/Log.h"
#include "common/Time.h"
#include "fcgi/store/MessageRow.h"
#include "fcgi/store/SendBatch.h"

namespace im::fcgi {
namespace {

using common::ApiError;
using common::ErrorCode;

void readRecipients(Db& db, sql::PreparedStatement& stmt, SendResult& out) {
  auto rs = db.query(stmt);
  while (rs->next()) out.recipients.push_back(common::Recipient{rs->getUInt64(1), rs->getUInt64(2)});
}

// The messages of `batch` at `indexes`.
std::vector<common::Message> pick(const std::vector<common::Message>& batch, const std::vector<size_t>& indexes) {
  std::vector<common::Message> out;
  out.reserve(indexes.size());
  for (const size_t i : indexes) out.push_back(batch[i]);
  return out;
}

}  // namespace

// Db::call runs the whole transaction again after a deadlock or a Galera certification conflict
// (it rolled back: no seq and no message were kept). With a client_msg_id it also runs again
// after a COMMIT whose answer was lost (its node died): if that COMMIT happened, the unique key
// (sender_id, client_msg_id) turns the rerun into findDuplicate, never a second message.
SendResult MessageStore::send(const common::Message& m) {
  return db_.call(
      [&] {
        try {
          return attempt(m);
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() == kErrDuplicateKey && m.clientMsgId) return findDuplicate(m);
          throw;
        }
      },
      m.clientMsgId ? Replay::EvenAfterLostCommit : Replay::OnlyIfRolledBack);
}

SendResult MessageStore::attempt(const common::Message& m) {
  Transaction tx(db_);
  if (m.group != 0) lockGroup(m);  // membership first: membership changes wait for this send
  SendResult out = deliver(m);
  tx.commit();
  return out;
}

SendResult MessageStore::deliver(const common::Message& m) {
  SendResult out{.message = m, .duplicate = false, .recipients = {}};
  out.message.msgId = insertMessage(m);
  if (m.group != 0) allocateGroup(m, out.message.msgId, out);
  else allocateDirect(m, out.message.msgId, out);
  conversations_.onStored(out.message);  // after the inbox rows: they name the participants
  if (onAllocated_) onAllocated_(out.recipients);
  return out;
}

uint64_t MessageStore::insertMessage(const common::Message& m) {
  auto& stmt = db_.prepare(std::string("INSERT INTO messages ") + kMessageInsertColumns + " VALUES " +
                           kMessageInsertRow + " RETURNING id");
  bindMessageRow(stmt, 1, m);
  auto rs = db_.query(stmt);
  if (!rs->next()) throw ApiError(ErrorCode::Unavailable, "The database is unavailable.");
  return rs->getUInt64(1);
}

void MessageStore::allocateDirect(const common::Message& m, uint64_t msgId, SendResult& out) {
  auto& bump = db_.prepare("UPDATE inbox_counters SET last_seq = last_seq + 1 WHERE user_id IN (?, ?)");
  bump.setUInt64(1, m.from);
  bump.setUInt64(2, m.to);
  const int expected = m.from == m.to ? 1 : 2;
  if (bump.executeUpdate() != expected) throw ApiError(ErrorCode::NotFound, "No such user.");  // tx rolls back
  auto& insert = db_.prepare(
      "INSERT INTO inbox (user_id, seq, msg_id) SELECT user_id, last_seq, ? FROM inbox_counters "
      "WHERE user_id IN (?, ?) RETURNING user_id, seq");
  insert.setUInt64(1, msgId);
  insert.setUInt64(2, m.from);
  insert.setUInt64(3, m.to);
  readRecipients(db_, insert, out);
}

void MessageStore::lockGroup(const common::Message& m) {
  auto& members = db_.prepare("SELECT user_id FROM group_members WHERE group_id = ? LOCK IN SHARE MODE");
  members.setUInt64(1, m.group);
  auto rs = db_.query(members);
  bool isMember = false;
  while (rs->next()) isMember = isMember || rs->getUInt64(1) == m.from;
  if (isMember) return;
  auto& group = db_.prepare("SELECT 1 FROM chat_groups WHERE id = ?");
  group.setUInt64(1, m.group);
  if (!db_.query(group)->next()) throw ApiError(ErrorCode::NotFound, "No such group.");
  throw ApiError(ErrorCode::Forbidden, "You are not a member of this group.");
}

void MessageStore::allocateGroup(const common::Message& m, uint64_t msgId, SendResult& out) {
  auto& bump = db_.prepare(
      "UPDATE inbox_counters c JOIN group_members g ON g.user_id = c.user_id "
      "SET c.last_seq = c.last_seq + 1 WHERE g.group_id = ?");
  bump.setUInt64(1, m.group);
  bump.executeUpdate();
  auto& insert = db_.prepare(
      "INSERT INTO inbox (user_id, seq, msg_id) SELECT c.user_id, c.last_seq, ? FROM inbox_counters c "
      "JOIN group_members g ON g.user_id = c.user_id WHERE g.group_id = ? RETURNING user_id, seq");
  insert.setUInt64(1, msgId);
  insert.setUInt64(2, m.group);
  readRecipients(db_, insert, out);
}

// The first send with this (sender, client_msg_id) won: answer with its id, store nothing. Its
// unacknowledged inbox rows come back too: the first send's worker may have died between its
// commit and its notification, and the retry's notification is then the only wake-up.
SendResult MessageStore::findDuplicate(const common::Message& m) {
  auto& stmt = db_.prepare(
      "SELECT id, created_at, body, COALESCE(recipient_id, 0), COALESCE(group_id, 0) FROM messages "
      "WHERE sender_id = ? AND client_msg_id = ?");
  stmt.setUInt64(1, m.from);
  stmt.setString(2, *m.clientMsgId);
  auto rs = db_.query(stmt);
  if (!rs->next()) throw ApiError(ErrorCode::Unavailable, "The database is unavailable.");
  SendResult out{.message = m, .duplicate = true, .recipients = {}};
  out.message.msgId = rs->getUInt64(1);
  out.message.createdAtMs = common::parseSqlDateTime(std::string(rs->getString(2))).value_or(0);
  out.message.body = std::string(rs->getString(3));
  out.message.to = rs->getUInt64(4);
  out.message.group = rs->getUInt64(5);
  auto& rows = db_.prepare("SELECT user_id, seq FROM inbox WHERE msg_id = ? ORDER BY user_id");
  rows.setUInt64(1, out.message.msgId);
  readRecipients(db_, rows, out);
  return out;
}

std::vector<SendOutcome> MessageStore::sendBatch(const std::vector<common::Message>& batch) {
  std::vector<SendOutcome> out(batch.size());
  std::vector<size_t> direct, alone;
  for (size_t i = 0; i < batch.size(); ++i) {
    const bool batchable = batch[i].group == 0 && batch[i].type == common::MessageType::Person;
    (batchable ? direct : alone).push_back(i);
  }
  for (size_t at = 0; at < direct.size(); at += kMaxBatch) {
    const std::vector<size_t> chunk(direct.begin() + static_cast<std::ptrdiff_t>(at),
                                    direct.begin() + static_cast<std::ptrdiff_t>(std::min(at + kMaxBatch, direct.size())));
    storeChunk(batch, chunk, out, alone);
  }
  std::sort(alone.begin(), alone.end());  // one by one, in batch order
  for (const size_t i : alone) out[i] = sendAlone(batch[i]);
  return out;
}

// One transaction for `chunk` (at most kMaxBatch sends); if it refused them, once more without
// those it cannot take. Whatever is left goes to `alone`.
void MessageStore::storeChunk(const std::vector<common::Message>& batch, const std::vector<size_t>& chunk,
                              std::vector<SendOutcome>& out, std::vector<size_t>& alone) {
  if (chunk.size() >= 2 && storeTogether(batch, chunk, out)) return;
  const std::vector<size_t> rest = chunk.size() < 2 ? chunk : withoutMisfits(batch, chunk, alone);
  if (rest.size() >= 2 && rest.size() < chunk.size() && storeTogether(batch, rest, out)) return;
  alone.insert(alone.end(), rest.begin(), rest.end());
}

// False: the batch stored nothing and its sends are to go alone (an unknown recipient, a
// client_msg_id already stored). A replay after a lost COMMIT is safe only when every send has
// a client_msg_id: the replay then meets the duplicate key, and send() of each finds its first one.
bool MessageStore::storeTogether(const std::vector<common::Message>& batch, const std::vector<size_t>& direct,
                                 std::vector<SendOutcome>& out) {
  const std::vector<common::Message> sends = pick(batch, direct);
  const bool keyed = std::all_of(sends.begin(), sends.end(), [](const auto& m) { return m.clientMsgId.has_value(); });
  try {
    auto stored = db_.call(
        [&]() -> std::optional<std::vector<SendResult>> {
          try {
            return attemptBatch(sends);
          } catch (const sql::SQLException& e) {
            if (e.getErrorCode() == kErrDuplicateKey) return std::nullopt;
            throw;
          }
        },
        keyed ? Replay::EvenAfterLostCommit : Replay::OnlyIfRolledBack);
    if (!stored) return false;
    for (size_t k = 0; k < direct.size(); ++k) out[direct[k]].result = std::move((*stored)[k]);
  } catch (const ApiError& e) {  // what send() of each would have thrown: nothing was written
    for (const size_t i : direct) out[i].error = e;
  }
  return true;
}

// After a batch refused `chunk`: its sends the batch cannot take go to `alone` (send() answers
// them: not found, the duplicate), the others come back to be batched again, so a refusal among
// them (a client's retries under load, a mistyped recipient) does not cost every other send of
// the batch a transaction of its own. Everything goes alone when MariaDB does not answer.
std::vector<size_t> MessageStore::withoutMisfits(const std::vector<common::Message>& batch,
                                                 const std::vector<size_t>& chunk, std::vector<size_t>& alone) {
  const std::vector<common::Message> sends = pick(batch, chunk);
  std::vector<bool> misfit;
  try {
    misfit = db_.call([&] { return SendBatch(db_, conversations_).misfits(sends); });
  } catch (const ApiError&) {
    misfit.assign(chunk.size(), true);
  }
  std::vector<size_t> rest;
  for (size_t k = 0; k < chunk.size(); ++k) (misfit[k] ? alone : rest).push_back(chunk[k]);
  return rest;
}

std::optional<std::vector<SendResult>> MessageStore::attemptBatch(const std::vector<common::Message>& sends) {
  Transaction tx(db_);
  auto stored = SendBatch(db_, conversations_).deliver(sends);
  if (!stored) return std::nullopt;  // rolled back
  if (onAllocated_) {  // each recipient once, at its highest seq
    std::map<uint64_t, uint64_t> last;
    for (const auto& s : *stored) {
      for (const auto& r : s.recipients) last[r.uid] = std::max(last[r.uid], r.seq);
    }
    std::vector<common::Recipient> recipients;
    for (const auto& [uid, seq] : last) recipients.push_back(common::Recipient{uid, seq});
    onAllocated_(recipients);
  }
  tx.commit();
  return stored;
}

SendOutcome MessageStore::sendAlone(const common::Message& m) {
  try {
    return SendOutcome{.result = send(m), .error = std::nullopt};
  } catch (const ApiError& e) {
    return SendOutcome{.result = std::nullopt, .error = e};
  }
}

}  // namespace im::fcgi
