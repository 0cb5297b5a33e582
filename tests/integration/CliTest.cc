// SPDX-License-Identifier: MIT
// CliTest.cc - im-cli used the way people use it: two interactive clients on pseudo-terminals
// (typing, reading the screen), a restart that shows exactly what was missed, and the scripted
// `send` / `tail` commands with their exit codes.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/ImClient.h"
#include "tests/integration/Stack.h"
#include "tests/support/FreePort.h"
#include "tests/support/PtyProcess.h"
#include "tests/support/TempDir.h"

namespace im::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const std::string kCli = std::string(IM_BINARY_DIR) + "/cli/im-cli";
constexpr const char* kPassword = "cli password 1";

// Types `command` until the screen shows `expected` (state another process changes, such as
// who is online, becomes visible on the next try); false after the deadline.
bool eventually(PtyProcess& p, const std::string& command, const std::string& expected) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    p.type(command + "\r");
    if (p.expect(expected, milliseconds(300))) return true;
  }
  return false;
}

class Cli : public ::testing::Test {
 protected:
  std::string url() const { return "http://127.0.0.1:" + std::to_string(stack_.http().port()); }
  Environment env(const std::string& password = kPassword) const {
    return {{"XDG_STATE_HOME", state_.path()}, {"IM_PASSWORD", password}, {"TERM", "xterm"}};
  }
  std::unique_ptr<PtyProcess> chat(const std::string& user, bool registerFirst) const {
    std::vector<std::string> argv{kCli, "--url", url(), "--user", user};
    if (registerFirst) argv.push_back("--register");
    auto p = std::make_unique<PtyProcess>(argv, env());
    EXPECT_TRUE(p->expect("signed in as " + user)) << p->output();
    return p;
  }
  CommandResult cli(const std::vector<std::string>& args, const std::string& password = kPassword) const {
    std::vector<std::string> argv{kCli, "--url", url()};
    argv.insert(argv.end(), args.begin(), args.end());
    return runCommand(argv, env(password));
  }

  Stack& stack_ = Stack::get();
  ImClient api_{stack_.http()};
  TempDir state_{"im-cli"};
};

// Direct, both ways: CIM's two spellings and the current conversation.
void chatBothWays(PtyProcess& alice, PtyProcess& bob) {
  alice.type("@cli_bob hello bob\r");
  ASSERT_TRUE(bob.expect("] cli_alice: hello bob")) << bob.output();
  ASSERT_TRUE(alice.expect("] you -> cli_bob: hello bob")) << alice.output();
  bob.type(":to cli_alice\r");
  ASSERT_TRUE(bob.expect("now talking to cli_alice"));
  bob.type("hi alice\r");
  ASSERT_TRUE(alice.expect("] cli_bob: hi alice")) << alice.output();
  // bob's keys sent a typing signal (POST /im/typing); alice's poll carried it as an event.
  EXPECT_TRUE(alice.waitForAnywhere("-- cli_bob is typing...")) << alice.output();
  bob.type("cli_alice;;semicolons too\r");
  ASSERT_TRUE(alice.expect("] cli_bob: semicolons too")) << alice.output();
}

// A message arriving while bob types: printed on an erased line, then bob's line redrawn.
void messageWhileTyping(PtyProcess& alice, PtyProcess& bob) {
  bob.type("half a line");
  ASSERT_TRUE(bob.expect("half a line"));
  alice.type("@cli_bob interrupting\r");
  ASSERT_TRUE(bob.expect("] cli_alice: interrupting")) << bob.output();
  const size_t at = bob.output().rfind("] cli_alice: interrupting");
  ASSERT_GE(at, 9u);
  EXPECT_EQ(bob.output().substr(at - 9, 4), "\033[J[") << "the input line was not erased first";
  ASSERT_TRUE(bob.expect("half a line")) << "the input line was not redrawn:\n" << bob.output();
  // Shown in bob's current conversation, so read: alice's conversation list says so (GET /im/conversations).
  EXPECT_TRUE(eventually(alice, ":c", "you -> cli_bob: interrupting \u2713\u2713")) << alice.output();
  bob.type(" finished\r");
  ASSERT_TRUE(alice.expect("] cli_bob: half a line finished")) << alice.output();
}

// A group, then the history of bob's current conversation, oldest first.
void groupAndHistory(PtyProcess& alice, PtyProcess& bob) {
  alice.type(":gc cliops cli_bob\r");
  ASSERT_TRUE(alice.expect("created #cliops")) << alice.output();
  alice.type("#cliops hello group\r");
  ASSERT_TRUE(bob.expect("] #cliops cli_alice: hello group")) << bob.output();
  bob.type(":h\r");
  ASSERT_TRUE(bob.expect("history with cli_alice:"));
  ASSERT_TRUE(bob.expect("cli_alice: hello bob"));
  ASSERT_TRUE(bob.expect("you -> cli_alice: hi alice"));
  ASSERT_TRUE(bob.expect("you -> cli_alice: half a line finished")) << bob.output();
}

// While bob is down alice sends two direct messages and one to the group.
void sendWhileDown(PtyProcess& alice) {
  alice.type("@cli_bob missed one\r");
  ASSERT_TRUE(alice.expect("you -> cli_bob: missed one"));
  alice.type("@cli_bob missed two\r");
  ASSERT_TRUE(alice.expect("you -> cli_bob: missed two"));
  alice.type("#cliops missed three\r");
  ASSERT_TRUE(alice.expect("#cliops you: missed three"));
}

TEST_F(Cli, TwoClientsChatAndARestartShowsExactlyWhatWasMissed) {
  auto alice = chat("cli_alice", true);
  auto bob = chat("cli_bob", true);
  ASSERT_TRUE(eventually(*alice, ":olu", "cli_bob")) << alice->output();
  ASSERT_NO_FATAL_FAILURE(chatBothWays(*alice, *bob));
  ASSERT_NO_FATAL_FAILURE(messageWhileTyping(*alice, *bob));
  ASSERT_NO_FATAL_FAILURE(groupAndHistory(*alice, *bob));

  bob->type(":q!\r");
  ASSERT_EQ(bob->waitExit(seconds(10)), 0) << bob->output();
  ASSERT_NO_FATAL_FAILURE(sendWhileDown(*alice));
  auto bob2 = chat("cli_bob", false);
  ASSERT_TRUE(bob2->expect("] cli_alice: missed one")) << bob2->output();
  ASSERT_TRUE(bob2->expect("] cli_alice: missed two")) << bob2->output();
  ASSERT_TRUE(bob2->expect("] #cliops cli_alice: missed three")) << bob2->output();
  alice->type("@cli_bob after the restart\r");
  ASSERT_TRUE(bob2->expect("] cli_alice: after the restart")) << bob2->output();
  // Everything up to the last message is on screen: each missed one once, nothing from before.
  EXPECT_EQ(bob2->count("missed one"), 1u);
  EXPECT_EQ(bob2->count("missed two"), 1u);
  EXPECT_EQ(bob2->count("missed three"), 1u);
  for (const char* before : {"hello bob", "hello group", "interrupting"}) EXPECT_EQ(bob2->count(before), 0u) << before;

  // Finding people by name prefix (GET /im/users), and who am I.
  alice->type(":pu cli_b\r");
  EXPECT_TRUE(alice->expect("users starting with cli_b: cli_bob")) << alice->output();
  alice->type(":info\r");
  EXPECT_TRUE(alice->expect("you are cli_alice"));
  EXPECT_TRUE(alice->expect("cursor "));
  alice->type(":q!\r");
  bob2->type(":q!\r");
  EXPECT_EQ(alice->waitExit(seconds(10)), 0);
  EXPECT_EQ(bob2->waitExit(seconds(10)), 0);
}

TEST_F(Cli, HelpListsEveryCommandAndUnknownOnesAreExplained) {
  auto carol = chat("cli_carol", true);
  carol->type(":help\r");
  ASSERT_TRUE(carol->expect(":olu"));
  ASSERT_TRUE(carol->expect(":q!"));
  carol->type(":frob\r");
  ASSERT_TRUE(carol->expect("unknown command :frob"));
  carol->type("no conversation yet\r");
  ASSERT_TRUE(carol->expect("no current conversation"));
  carol->type("@nobody_here hi\r");
  ASSERT_TRUE(carol->expect("no user named nobody_here"));
  carol->type(":q!\r");
  EXPECT_EQ(carol->waitExit(seconds(10)), 0);
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Waits until `path` contains `text`; false after the deadline.
bool waitForFile(const std::string& path, const std::string& text, milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (readFile(path).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return false;
}

TEST_F(Cli, ScriptedSendAndTailWithExitCodes) {
  ASSERT_EQ(api_.registerUser("cli_reader", kPassword).status, 201);
  const std::string out = state_.path() + "/tail.out", hooked = state_.path() + "/hook.out";
  {
    ChildProcess tail({kCli, "--url", url(), "--user", "cli_reader", "tail", "--on-message", "cat >> " + hooked},
                      env(), out);
    const CommandResult sent = cli({"--user", "cli_writer", "--register", "send", "--to", "cli_reader", "first", "line"});
    ASSERT_EQ(sent.exitCode, 0) << sent.output;
    EXPECT_NE(sent.output.find("\"duplicate\":false"), std::string::npos) << sent.output;
    ASSERT_TRUE(waitForFile(out, "\"body\":\"first line\"", seconds(15))) << readFile(out);
    ASSERT_TRUE(waitForFile(hooked, "\"body\":\"first line\"", seconds(15))) << readFile(hooked);
    EXPECT_NE(readFile(out).find("\"from_name\":\"cli_writer\""), std::string::npos);
    tail.signal(SIGTERM);
    EXPECT_EQ(tail.waitFor(seconds(10)), 0) << readFile(out);
  }
  // Sent while no tail runs; the next tail starts at the saved cursor: only this one, once.
  ASSERT_EQ(cli({"--user", "cli_writer", "send", "--to", "cli_reader", "second"}).exitCode, 0);
  const std::string out2 = state_.path() + "/tail2.out";
  {
    ChildProcess tail({kCli, "--url", url(), "--user", "cli_reader", "tail"}, env(), out2);
    ASSERT_TRUE(waitForFile(out2, "\"body\":\"second\"", seconds(15))) << readFile(out2);
    tail.signal(SIGINT);
    EXPECT_EQ(tail.waitFor(seconds(10)), 0);
  }
  EXPECT_EQ(readFile(out2).find("first line"), std::string::npos) << readFile(out2);

  EXPECT_EQ(cli({"--user", "cli_nobody_yet", "send", "--to", "cli_reader", "x"}, "wrong password").exitCode, 3);
  EXPECT_EQ(cli({"--user", "cli_writer", "send", "--to", "cli_no_such_user", "x"}).exitCode, 4);
  EXPECT_EQ(cli({"--user", "cli_writer", "send", "x"}).exitCode, 2);
  EXPECT_EQ(cli({"--user", "cli_writer", "--bogus"}).exitCode, 2);
  EXPECT_EQ(runCommand({kCli, "--url", "http://127.0.0.1:" + std::to_string(FreePort::any()), "--user", "cli_writer",
                        "send", "--to", "cli_reader", "x"},
                       env())
                .exitCode,
            5);
}

}  // namespace
}  // namespace im::test
