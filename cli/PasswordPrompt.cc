// SPDX-License-Identifier: MIT
// PasswordPrompt.cc - termios with ECHO off on /dev/tty, restored even when reading fails.
#include "cli/PasswordPrompt.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

namespace im::cli {

std::string readPassword(const std::string& user) {
  if (const char* env = std::getenv("IM_PASSWORD"); env != nullptr) return env;
  const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("no terminal to ask the password on: set IM_PASSWORD");
  const std::string prompt = "password for " + user + ": ";
  [[maybe_unused]] ssize_t n = ::write(fd, prompt.data(), prompt.size());
  termios saved {};
  const bool isTty = ::tcgetattr(fd, &saved) == 0;
  if (isTty) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  std::string password;
  char c = 0;
  while (::read(fd, &c, 1) == 1 && c != '\n' && c != '\r') password += c;
  if (isTty) ::tcsetattr(fd, TCSAFLUSH, &saved);
  n = ::write(fd, "\n", 1);
  ::close(fd);
  return password;
}

}  // namespace im::cli
