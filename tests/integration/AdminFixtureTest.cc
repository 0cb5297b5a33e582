// SPDX-License-Identifier: MIT
// AdminFixtureTest.cc - `im-admin fixture users` against the real stack: the users it makes log
// no password in, yet their tokens work at once (poll, send, receive), the ids are consecutive,
// the tokens file is private, and a batch with a taken name changes nothing.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"

namespace im::test {
namespace {

struct FixtureLine {
  int64_t uid = 0;
  std::string token;
};

class AdminFixture : public ::testing::Test {
 protected:
  // "PREFIX COUNT", a batch of `batch` users per transaction.
  CommandResult fixture(const std::string& args, const std::string& batch = "5000") const {
    return runCommand({std::string(IM_BINARY_DIR) + "/admin/im-admin", "--config=" + stack_.varDir() + "/im.properties",
                       "--json", "fixture", "users", "--tokens-out", tokensPath_, "--prefix", args.substr(0, args.find(' ')),
                       "--count", args.substr(args.find(' ') + 1), "--batch", batch});
  }
  std::vector<FixtureLine> tokens() const {
    std::vector<FixtureLine> lines;
    std::ifstream in(tokensPath_);
    for (FixtureLine l; in >> l.uid >> l.token;) lines.push_back(l);
    return lines;
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
  const std::string tokensPath_ = stack_.varDir() + "/fixture-tokens";
};

TEST_F(AdminFixture, FixtureUsersPollSendAndReceiveAtOnce) {
  const CommandResult made = fixture("fxa_ 3");
  ASSERT_EQ(made.exitCode, 0) << made.output;
  const auto summary = parseObject(made.output);
  EXPECT_EQ(summary->getValue<int64_t>("users"), 3);
  EXPECT_TRUE(summary->getValue<bool>("consecutive"));
  const std::vector<FixtureLine> lines = tokens();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].uid, summary->getValue<int64_t>("first_id"));
  EXPECT_EQ(lines[2].uid, lines[0].uid + 2) << "consecutive ids, in name order";
  struct stat st {};
  ASSERT_EQ(::stat(tokensPath_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "the tokens are live credentials";

  const PollResult empty = api_.poll(lines[1].token, 0, 0);
  ASSERT_EQ(empty.status, 200) << empty.raw;
  EXPECT_EQ(empty.next, 0);
  api_.sendOk(lines[0].token, lines[1].uid, "from a fixture user");
  const PollResult got = api_.poll(lines[1].token, 0, 5);
  ASSERT_EQ(got.status, 200) << got.raw;
  ASSERT_EQ(got.messages.size(), 1u) << got.raw;
  EXPECT_EQ(got.messages[0].from, lines[0].uid);
  EXPECT_EQ(got.messages[0].body, "from a fixture user");
}

TEST_F(AdminFixture, BatchesFollowEachOtherWithoutAGap) {
  const CommandResult made = fixture("fxd_ 5", "2");  // three transactions: 2 + 2 + 1
  ASSERT_EQ(made.exitCode, 0) << made.output;
  EXPECT_TRUE(parseObject(made.output)->getValue<bool>("consecutive")) << made.output;
  const std::vector<FixtureLine> lines = tokens();
  ASSERT_EQ(lines.size(), 5u);
  for (size_t i = 1; i < lines.size(); ++i) EXPECT_EQ(lines[i].uid, lines[0].uid + static_cast<int64_t>(i));
  EXPECT_EQ(api_.poll(lines[4].token, 0, 0).status, 200) << "the last batch's session works";
  EXPECT_EQ(fixture("fxe_ 2", "20001").exitCode, 1) << "a batch over MariaDB's placeholder limit";
}

TEST_F(AdminFixture, ABatchWithATakenNameChangesNothing) {
  ASSERT_EQ(fixture("fxb_ 2").exitCode, 0);
  const CommandResult again = fixture("fxb_ 4");  // fxb_1 and fxb_2 are taken
  EXPECT_EQ(again.exitCode, 1) << again.output;
  EXPECT_NE(again.output.find("taken"), std::string::npos) << again.output;
  // fxb_3 was in the rolled-back batch: the name is still free.
  EXPECT_EQ(api_.registerUser("fxb_3", "a long password").status, 201);
}

TEST_F(AdminFixture, BadOptionsAreRefused) {
  EXPECT_EQ(fixture("Fx_ 2").exitCode, 1) << "upper case is not of the username alphabet";
  EXPECT_EQ(fixture("fxc_ 0").exitCode, 1);
  EXPECT_EQ(fixture("fxc_abcdefghijklmnopqrstuvwxyz_ 100").exitCode, 1) << "fxc_...100 is over 32 characters";
  const CommandResult noFile = runCommand({std::string(IM_BINARY_DIR) + "/admin/im-admin",
                                           "--config=" + stack_.varDir() + "/im.properties", "fixture", "users",
                                           "--prefix", "fxc_", "--count", "2"});
  EXPECT_EQ(noFile.exitCode, 1) << noFile.output;
  EXPECT_EQ(api_.registerUser("fxc_1", "a long password").status, 201) << "nothing was created";
}

}  // namespace
}  // namespace im::test
