// SPDX-License-Identifier: MIT
// SendBatch.h - several direct sends stored by the statements of ONE transaction, one statement
// per table whatever their number: the messages, every participant's counter, the inbox rows,
// the conversations. MessageStore::sendBatch runs it; seqs follow batch order.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/Protocol.h"
#include "fcgi/Db.h"
#include "fcgi/store/ConversationUpkeep.h"
#include "fcgi/store/MessageStore.h"

namespace im::fcgi {

class SendBatch {
 public:
  SendBatch(Db& db, ConversationUpkeep& conversations) : db_(db), conversations_(conversations) {}

  // Inside the caller's open transaction: stores `sends` (person-to-person, group 0, at most
  // MessageStore::kMaxBatch), result i for sends[i], as send() of each in turn would. nullopt
  // when a recipient is unknown: the caller must roll back. Throws sql::SQLException (a
  // client_msg_id already stored is kErrDuplicateKey), ApiError(Unavailable).
  std::optional<std::vector<SendResult>> deliver(const std::vector<common::Message>& sends);

  // Outside a transaction, once deliver() refused `sends`: which of them the batch cannot take
  // (true: a participant without a counter row, a client_msg_id already stored or taken by an
  // earlier send of `sends`), so the others can be batched again. Two reads. Throws
  // sql::SQLException.
  std::vector<bool> misfits(const std::vector<common::Message>& sends);

 private:
  // One inbox row: participant `uid` of sends[send], `back` rows of it later in the batch.
  struct Row {
    uint64_t uid = 0;
    uint64_t peer = 0;
    size_t send = 0;
    uint64_t back = 0;
  };
  static std::vector<Row> inboxRows(const std::vector<common::Message>& sends);
  std::vector<uint64_t> insertMessages(const std::vector<common::Message>& sends);
  bool bumpCounters(const std::vector<Row>& rows);
  void insertInbox(const std::vector<Row>& rows, std::vector<SendResult>& out);
  std::set<uint64_t> unknownUsers(const std::vector<common::Message>& sends);
  std::set<std::pair<uint64_t, std::string>> storedKeys(const std::vector<common::Message>& sends);

  Db& db_;
  ConversationUpkeep& conversations_;
};

}  // namespace im::fcgi
