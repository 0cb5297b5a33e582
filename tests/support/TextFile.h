// SPDX-License-Identifier: MIT
// TextFile.h - a whole file as a string ("" when it cannot be read), for tests that read logs,
// units and docs.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace im::test {

inline std::string readTextFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace im::test
