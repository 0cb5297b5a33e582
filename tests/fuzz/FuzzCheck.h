// SPDX-License-Identifier: MIT
// FuzzCheck.h - the invariant check of the fuzz targets: abort, so libFuzzer saves the input
// as a crash and the replay test fails, in every build type (assert() vanishes under NDEBUG).
#pragma once

#include <cstdio>
#include <cstdlib>

namespace im::fuzz {

[[noreturn]] inline void invariantFailed(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: invariant failed: %s\n", file, line, what);
  std::abort();
}

}  // namespace im::fuzz

#define FUZZ_CHECK(cond) ((cond) ? static_cast<void>(0) : ::im::fuzz::invariantFailed(#cond, __FILE__, __LINE__))
