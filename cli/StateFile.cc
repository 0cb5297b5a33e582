// SPDX-License-Identifier: MIT
// StateFile.cc - key=value lines, written to a temporary file, fsynced, renamed over the old one:
// a crash leaves either the old state or the new one, never half of each.
#include "cli/StateFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include <Poco/URI.h>

namespace im::cli {
namespace {

std::string safeName(const std::string& s) {
  std::string out;
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == '_';
    out += ok ? c : '_';
  }
  return out.empty() || out == "." || out == ".." ? "_" + out : out;
}

void makeDirs(const std::string& path) {
  for (size_t pos = path.find('/', 1); pos != std::string::npos; pos = path.find('/', pos + 1)) {
    ::mkdir(path.substr(0, pos).c_str(), 0700);  // existing ones stay as they are
  }
}

void writeAll(int fd, const std::string& text, const std::string& path) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
}

std::string serialize(const ClientState& s) {
  std::string out = "token=" + s.token + "\nuser_id=" + std::to_string(s.userId) + "\n";
  if (s.hasCursor) out += "cursor=" + std::to_string(s.cursor) + "\n";
  return out;
}

}  // namespace

StateFile::StateFile(std::string path) : path_(std::move(path)) {}

std::string StateFile::pathFor(const std::map<std::string, std::string>& env, const std::string& url,
                               const std::string& user) {
  std::string base;
  if (auto it = env.find("XDG_STATE_HOME"); it != env.end() && !it->second.empty() && it->second[0] == '/') {
    base = it->second;
  } else if (auto home = env.find("HOME"); home != env.end() && !home->second.empty()) {
    base = home->second + "/.local/state";
  } else {
    throw std::runtime_error("neither XDG_STATE_HOME nor HOME is set: nowhere to keep the session");
  }
  const Poco::URI uri(url);
  const std::string server = uri.getHost() + "_" + std::to_string(uri.getPort()) + uri.getPath();
  return base + "/im-cli/" + safeName(server) + "/" + safeName(user);
}

ClientState StateFile::load() {
  const std::lock_guard lock(mutex_);
  state_ = ClientState{};
  std::ifstream in(path_);
  if (!in) {
    if (errno == ENOENT) return state_;
    throw std::runtime_error("cannot read " + path_ + ": " + std::strerror(errno));
  }
  for (std::string line; std::getline(in, line);) {
    const size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    try {
      if (key == "token") state_.token = value;
      if (key == "user_id") state_.userId = std::stoull(value);
      if (key == "cursor") {
        state_.cursor = std::stoull(value);
        state_.hasCursor = true;
      }
    } catch (const std::exception&) {
      throw std::runtime_error("corrupt state file " + path_ + " (line: " + key + ")");
    }
  }
  return state_;
}

ClientState StateFile::current() {
  const std::lock_guard lock(mutex_);
  return state_;
}

void StateFile::setSession(const std::string& token, uint64_t userId) {
  const std::lock_guard lock(mutex_);
  state_.token = token;
  state_.userId = userId;
  save();
}

void StateFile::setCursor(uint64_t cursor) {
  const std::lock_guard lock(mutex_);
  if (state_.hasCursor && state_.cursor == cursor) return;  // a timed-out poll changes nothing
  state_.cursor = cursor;
  state_.hasCursor = true;
  save();
}

void StateFile::save() {
  makeDirs(path_);
  const std::string tmp = path_ + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno));
  try {
    ::fchmod(fd, 0600);  // a leftover temporary file may have had another mode
    writeAll(fd, serialize(state_), tmp);
    if (::fsync(fd) != 0) throw std::runtime_error("cannot fsync " + tmp + ": " + std::strerror(errno));
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path_.c_str()) != 0) {
    throw std::runtime_error("cannot replace " + path_ + ": " + std::strerror(errno));
  }
  const std::string dir = path_.substr(0, path_.rfind('/'));
  const int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirFd >= 0) {
    ::fsync(dirFd);  // the rename itself must survive a crash too
    ::close(dirFd);
  }
}

}  // namespace im::cli
