// SPDX-License-Identifier: MIT
// Version.cc - the only includer of the generated header, so a new commit recompiles one file.
#include "common/Version.h"

#include "im_version.h"

namespace im::common {

const char* version() { return IM_VERSION; }

}  // namespace im::common
