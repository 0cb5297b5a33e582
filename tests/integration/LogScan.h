// SPDX-License-Identifier: MIT
// LogScan.h - asserts that no service log under the stack's var dir contains a secret (a test
// password or bearer token): passwords and tokens are never logged.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace im::test {

// Every regular file under `<varDir>/log`, read whole; fails naming the file and the secret.
inline ::testing::AssertionResult LogsContainNone(const std::string& varDir, const std::vector<std::string>& secrets) {
  size_t files = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(varDir + "/log", ec)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const std::string log = text.str();
    for (const std::string& secret : secrets) {
      if (secret.size() >= 8 && log.find(secret) != std::string::npos) {
        return ::testing::AssertionFailure() << entry.path().string() << " contains the secret '" << secret << "'";
      }
    }
  }
  if (files == 0) return ::testing::AssertionFailure() << "no log files under " << varDir << "/log";
  return ::testing::AssertionSuccess() << files << " log files, " << secrets.size() << " secrets";
}

}  // namespace im::test
