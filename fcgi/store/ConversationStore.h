// SPDX-License-Identifier: MIT
// ConversationStore.h - a user's conversations as the conversations table keeps them (one
// indexed statement per list, whatever their number), and the read marker.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/ConversationProtocol.h"
#include "fcgi/Db.h"

namespace im::fcgi {

class ConversationStore {
 public:
  // The list's statement (three parameters: uid, uid, limit); public for its EXPLAIN test.
  static const std::string kListSql;

  explicit ConversationStore(Db& db) : db_(db) {}
  ConversationStore(const ConversationStore&) = delete;
  ConversationStore& operator=(const ConversationStore&) = delete;

  // `uid`'s conversations, most recent message first, at most `limit`; groups it has left
  // are not listed. One statement.
  std::vector<common::ConversationSummary> list(uint64_t uid, int limit);

  // Moves `uid`'s read marker in `ref` up to `msgId` and recounts unread; a lower or equal
  // msgId changes nothing (false). NotFound when `msgId` is not a message of `ref`. The caller
  // has checked that `ref` exists and that `uid` may read it.
  bool markRead(uint64_t uid, const common::Conversation& ref, uint64_t msgId);

 private:
  struct ReadState {
    uint64_t marker = 0;    // the read marker before this read
    bool belongs = false;   // msgId is a message of the conversation
    uint64_t unread = 0;    // messages from others above msgId
    uint64_t newest = 0;    // the conversation's newest msg_id
  };
  void lockRow(uint64_t uid, const common::Conversation& ref);
  ReadState readState(uint64_t uid, const common::Conversation& ref, uint64_t msgId);

  Db& db_;
};

}  // namespace im::fcgi
