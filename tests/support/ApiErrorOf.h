// SPDX-License-Identifier: MIT
// ApiErrorOf.h - the ApiError code a call throws, for the tests of parsing and validation.
#pragma once

#include <gtest/gtest.h>

#include "common/ApiError.h"

namespace im::test {

// The code of the ApiError `f` throws; a failure (and Unavailable) when it throws none.
template <typename F>
common::ErrorCode errorOf(F&& f) {
  try {
    f();
  } catch (const common::ApiError& e) {
    return e.code();
  }
  ADD_FAILURE() << "no ApiError thrown";
  return common::ErrorCode::Unavailable;
}

}  // namespace im::test
