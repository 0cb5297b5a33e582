// SPDX-License-Identifier: MIT
// CommandParserTest.cc - CIM's syntax: every way to name a conversation, every command, the errors.
#include "cli/CommandParser.h"

#include <gtest/gtest.h>

namespace im::cli {
namespace {

using Kind = Command::Kind;

TEST(CommandParser, DoubleSemicolonSendsToTheNamedUser) {
  const Command c = parseCommand("bob;;hello there");
  EXPECT_EQ(c.kind, Kind::Send);
  EXPECT_EQ(c.target, "bob");
  EXPECT_FALSE(c.targetIsGroup);
  EXPECT_EQ(c.text, "hello there");
}

TEST(CommandParser, AtNameSendsADirectMessage) {
  const Command c = parseCommand("@bob  hi  you ");
  EXPECT_EQ(c.kind, Kind::Send);
  EXPECT_EQ(c.target, "bob");
  EXPECT_EQ(c.text, "hi  you");  // inner spacing is the user's
}

TEST(CommandParser, HashSendsToAGroupByNameOrNumber) {
  Command c = parseCommand("#ops deploy now");
  EXPECT_EQ(c.kind, Kind::Send);
  EXPECT_TRUE(c.targetIsGroup);
  EXPECT_EQ(c.target, "ops");
  EXPECT_EQ(c.text, "deploy now");
  c = parseCommand("#7 hi");
  EXPECT_TRUE(c.targetIsGroup);
  EXPECT_EQ(c.target, "7");
}

TEST(CommandParser, PlainTextGoesToTheCurrentConversation) {
  const Command c = parseCommand("just talking; a;;b is prose when a is no name? A;;b");
  EXPECT_EQ(c.kind, Kind::SendCurrent);
  EXPECT_EQ(c.text, "just talking; a;;b is prose when a is no name? A;;b");
}

TEST(CommandParser, SemicolonsAfterANonNameStayProse) {
  EXPECT_EQ(parseCommand("Hello there;;x").kind, Kind::SendCurrent);
  EXPECT_EQ(parseCommand("bob;;").kind, Kind::Invalid);
}

TEST(CommandParser, AtOrHashWithoutTextIsAnError) {
  EXPECT_EQ(parseCommand("@bob").kind, Kind::Invalid);
  EXPECT_EQ(parseCommand("#ops   ").kind, Kind::Invalid);
  EXPECT_EQ(parseCommand("@").kind, Kind::Invalid);
}

TEST(CommandParser, ToSwitchesToAUserOrAGroup) {
  Command c = parseCommand(":to bob");
  EXPECT_EQ(c.kind, Kind::SwitchTo);
  EXPECT_EQ(c.target, "bob");
  EXPECT_FALSE(c.targetIsGroup);
  c = parseCommand(":to @bob");
  EXPECT_EQ(c.target, "bob");
  c = parseCommand(":to #ops");
  EXPECT_TRUE(c.targetIsGroup);
  EXPECT_EQ(c.target, "ops");
  EXPECT_EQ(parseCommand(":to").kind, Kind::Invalid);
}

TEST(CommandParser, QuitIsQBangAndQWithAWordSearches) {
  EXPECT_EQ(parseCommand(":q!").kind, Kind::Quit);
  const Command c = parseCommand(":q  deploy window");
  EXPECT_EQ(c.kind, Kind::Search);
  EXPECT_EQ(c.text, "deploy window");
  EXPECT_EQ(parseCommand(":q").kind, Kind::Invalid);  // neither: say how to do both
}

TEST(CommandParser, HistoryTakesAnOptionalCount) {
  EXPECT_EQ(parseCommand(":h").kind, Kind::History);
  EXPECT_EQ(parseCommand(":h").count, 0);
  EXPECT_EQ(parseCommand(":h 5").count, 5);
  EXPECT_EQ(parseCommand(":h five").kind, Kind::Invalid);
  EXPECT_EQ(parseCommand(":h 0").kind, Kind::Invalid);
  EXPECT_EQ(parseCommand(":h 201").kind, Kind::Invalid);
}

TEST(CommandParser, ListingCommands) {
  EXPECT_EQ(parseCommand(":olu").kind, Kind::OnlineUsers);
  EXPECT_EQ(parseCommand(":c").kind, Kind::Conversations);
  EXPECT_EQ(parseCommand(":g").kind, Kind::Groups);
  EXPECT_EQ(parseCommand(":info").kind, Kind::Info);
  EXPECT_EQ(parseCommand(":all").kind, Kind::Help);
  EXPECT_EQ(parseCommand(":help").kind, Kind::Help);
  const Command pu = parseCommand(":pu al");
  EXPECT_EQ(pu.kind, Kind::FindUsers);
  EXPECT_EQ(pu.text, "al");
  EXPECT_EQ(parseCommand(":pu").kind, Kind::Invalid);
}

TEST(CommandParser, GroupCreationTakesANameAndMembers) {
  const Command c = parseCommand(":gc ops bob @carol");
  EXPECT_EQ(c.kind, Kind::CreateGroup);
  EXPECT_EQ(c.text, "ops");
  EXPECT_EQ(c.users, (std::vector<std::string>{"bob", "carol"}));
  EXPECT_EQ(parseCommand(":gc solo").users.size(), 0u);
  EXPECT_EQ(parseCommand(":gc").kind, Kind::Invalid);
}

TEST(CommandParser, MembershipCommandsNameTheGroupFirst) {
  Command c = parseCommand(":add #ops bob carol");
  EXPECT_EQ(c.kind, Kind::AddMembers);
  EXPECT_EQ(c.target, "ops");
  EXPECT_EQ(c.users.size(), 2u);
  c = parseCommand(":kick #ops bob");
  EXPECT_EQ(c.kind, Kind::Kick);
  EXPECT_EQ(c.users, std::vector<std::string>{"bob"});
  EXPECT_EQ(parseCommand(":kick #ops bob carol").kind, Kind::Invalid);
  EXPECT_EQ(parseCommand(":add #ops").kind, Kind::Invalid);
  EXPECT_EQ(parseCommand(":join #7").target, "7");
  EXPECT_EQ(parseCommand(":leave #ops").kind, Kind::Leave);
  EXPECT_EQ(parseCommand(":join #ops bob").kind, Kind::Invalid);
}

TEST(CommandParser, UnknownCommandAndEmptyLine) {
  const Command c = parseCommand(":frobnicate");
  EXPECT_EQ(c.kind, Kind::Invalid);
  EXPECT_NE(c.error.find(":frobnicate"), std::string::npos);
  EXPECT_EQ(parseCommand("   ").kind, Kind::Empty);
}

TEST(CommandParser, HelpNamesEveryCommand) {
  const std::string help = helpText();
  for (const char* cmd : {";;", "@bob", "#ops", ":to", ":olu", ":pu", ":q ", ":h", ":c ", ":g ", ":gc", ":add",
                          ":kick", ":join", ":leave", ":info", ":all", ":help", ":q!"}) {
    EXPECT_NE(help.find(cmd), std::string::npos) << cmd;
  }
}

}  // namespace
}  // namespace im::cli
