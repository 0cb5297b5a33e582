// SPDX-License-Identifier: MIT
// AdminOutput.h - where every im-admin command writes its one answer: text for people, or one
// JSON document with --json (for scripts), then a newline.
#pragma once

#include <ostream>
#include <string>

namespace im::admin {

struct AdminOutput {
  std::ostream& out;
  bool json = false;

  void done(const std::string& text, const std::string& jsonText) const { out << (json ? jsonText : text) << '\n'; }
};

}  // namespace im::admin
