// SPDX-License-Identifier: MIT
// Version.h - the build's version (`git describe --always --dirty` when it was built), for
// every binary's --version and the metrics' im_build_info.
#pragma once

namespace im::common {

const char* version();

}  // namespace im::common
