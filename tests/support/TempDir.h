// SPDX-License-Identifier: MIT
// TempDir.h - a fresh directory under /tmp, removed with everything in it when the owner dies.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace im::test {

class TempDir {
 public:
  // Short paths on purpose: unix socket paths (mysql.sock, fcgi.sock) must fit in 108 bytes.
  explicit TempDir(const std::string& prefix = "im-test") {
    std::string pattern = "/tmp/" + prefix + "-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr) throw std::runtime_error("TempDir: mkdtemp failed for " + pattern);
    path_ = buffer.data();
  }
  ~TempDir() {
    if (keep_) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // Leave the directory behind (its logs explain a failed run).
  void keep() { keep_ = true; }

 private:
  std::string path_;
  bool keep_ = false;
};

}  // namespace im::test
