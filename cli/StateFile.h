// SPDX-License-Identifier: MIT
// StateFile.h - what survives a restart: the session token, the user id and the mailbox cursor,
// in $XDG_STATE_HOME/im-cli/<server>/<user> (mode 0600), replaced atomically on every change.
// Thread safe: the poller saves the cursor while the input thread may save the token.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace im::cli {

struct ClientState {
  std::string token;   // "" when logged out
  uint64_t userId = 0;
  uint64_t cursor = 0;  // the last poll `next` whose messages were all shown
  bool hasCursor = false;
};

class StateFile {
 public:
  explicit StateFile(std::string path);
  StateFile(const StateFile&) = delete;
  StateFile& operator=(const StateFile&) = delete;

  // $XDG_STATE_HOME (else $HOME/.local/state) + "/im-cli/<server>/<user>"; `server` is the URL's
  // host and port ("127.0.0.1_8080"), so two servers never share a cursor.
  static std::string pathFor(const std::map<std::string, std::string>& env, const std::string& url,
                             const std::string& user);

  const std::string& path() const { return path_; }
  // Reads the file; an absent file is an empty state. Throws std::runtime_error if unreadable.
  ClientState load();
  ClientState current();
  void setSession(const std::string& token, uint64_t userId);
  void setCursor(uint64_t cursor);

 private:
  void save();  // with mutex_ held

  std::mutex mutex_;
  std::string path_;
  ClientState state_;
};

}  // namespace im::cli
