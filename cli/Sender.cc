// SPDX-License-Identifier: MIT
// Sender.cc - the retry loop of a send.
#include "cli/Sender.h"

#include <chrono>
#include <random>
#include <thread>

#include "cli/ApiFailure.h"
#include "cli/Backoff.h"

namespace im::cli {

std::string newClientMsgId() {
  std::random_device random;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 32; ++i) id += kHex[random() & 15];
  return id;
}

JsonPtr sendWithRetry(HttpApi& api, const Peer& to, const std::string& body, int attempts,
                      const std::function<void(const std::string&)>& onRetry) {
  const std::string clientMsgId = newClientMsgId();
  Backoff backoff(std::chrono::milliseconds(250), std::chrono::seconds(4), std::random_device{}());
  for (int attempt = 1;; ++attempt) {
    try {
      return api.send(to, body, clientMsgId);
    } catch (const ApiFailure& e) {
      if (!e.transient() || attempt >= attempts) throw;
      if (attempt == 1 && onRetry) onRetry(std::string("send failed (") + e.what() + "), retrying...");
      std::this_thread::sleep_for(backoff.next(e.retryAfterS()));
    }
  }
}

}  // namespace im::cli
