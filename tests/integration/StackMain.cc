// SPDX-License-Identifier: MIT
// StackMain.cc - main() of every integration test binary: one Stack for the whole binary.
#include <gtest/gtest.h>

#include <exception>
#include <iostream>

#include "tests/integration/Stack.h"

namespace {

class StackEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    im::test::Stack::install(&stack_);
    try {
      stack_.start();
    } catch (const std::exception& e) {
      // A fatal failure here stops every test and fails the binary: never a silent skip.
      FAIL() << "the test stack did not come up: " << e.what();
    }
  }
  void TearDown() override {
    const bool failed = ::testing::UnitTest::GetInstance()->failed_test_count() > 0 ||
                        ::testing::UnitTest::GetInstance()->ad_hoc_test_result().Failed();
    stack_.stop(failed);
    im::test::Stack::install(nullptr);
  }

 private:
  im::test::Stack stack_;
};

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new StackEnvironment);  // gtest owns it
  return RUN_ALL_TESTS();
}
