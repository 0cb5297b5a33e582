// SPDX-License-Identifier: MIT
// OptionsTest.cc - the command line of im-cli.
#include "cli/Options.h"

#include <gtest/gtest.h>

namespace im::cli {
namespace {

Options parse(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  return parseOptions(args, env);
}

TEST(Options, ChatWithUrlAndUser) {
  const Options o = parse({"--url", "http://h:1", "--user=alice", "--register", "--keep-session"});
  EXPECT_EQ(o.error, "");
  EXPECT_EQ(o.mode, Options::Mode::Chat);
  EXPECT_EQ(o.url, "http://h:1");
  EXPECT_EQ(o.user, "alice");
  EXPECT_TRUE(o.registerFirst);
  EXPECT_TRUE(o.keepSession);
}

TEST(Options, EnvironmentGivesDefaults) {
  const Options o = parse({}, {{"IM_URL", "http://x:2"}, {"IM_USER", "bob"}});
  EXPECT_EQ(o.url, "http://x:2");
  EXPECT_EQ(o.user, "bob");
  EXPECT_EQ(o.error, "");
}

TEST(Options, SendJoinsItsWords) {
  const Options o = parse({"--user", "a", "send", "--to", "bob", "hello", "there"});
  EXPECT_EQ(o.mode, Options::Mode::Send);
  EXPECT_EQ(o.to, "bob");
  EXPECT_EQ(o.text, "hello there");
  EXPECT_EQ(o.error, "");
}

TEST(Options, UsageErrors) {
  EXPECT_NE(parse({}).error, "");                                                  // no user
  EXPECT_NE(parse({"--user", "a", "send", "hi"}).error, "");                       // no target
  EXPECT_NE(parse({"--user", "a", "send", "--to", "b", "--group", "g", "x"}).error, "");
  EXPECT_NE(parse({"--user", "a", "send", "--to", "b"}).error, "");                // no text
  EXPECT_NE(parse({"--user", "a", "--bogus"}).error, "");
  EXPECT_NE(parse({"--user"}).error, "");
  EXPECT_NE(parse({"--user", "a", "dance"}).error, "");
  EXPECT_NE(parse({"--user", "a", "--to", "b"}).error, "");                        // --to outside send
}

TEST(Options, TailAndHelp) {
  EXPECT_EQ(parse({"--user", "a", "tail", "--on-message", "cat"}).mode, Options::Mode::Tail);
  EXPECT_EQ(parse({"--user", "a", "tail", "--on-message", "cat"}).onMessage, "cat");
  EXPECT_EQ(parse({"--help"}).mode, Options::Mode::Help);
}

TEST(Options, HelpDocumentsTheExitCodes) {
  const std::string help = usageText();
  for (const char* code : {"0 ok", "2 usage", "3 auth", "4 not found", "5 server unavailable"}) {
    EXPECT_NE(help.find(code), std::string::npos) << code;
  }
}

}  // namespace
}  // namespace im::cli
