// SPDX-License-Identifier: MIT
// MembershipText.h - the short English sentence a membership message carries as its `body`
// ("alice added bob"), for clients that show it as is. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/GroupRole.h"
#include "common/MessageType.h"

namespace im::common {

// member_added, member_removed, member_joined, member_left, role_changed (with `role`).
std::string membershipText(MessageType type, std::string_view actor, std::string_view target,
                           std::optional<GroupRole> role = std::nullopt);
// group_updated: what changed (at least one of the two).
std::string groupUpdatedText(std::string_view actor, const std::optional<std::string>& name,
                             std::optional<bool> isPublic);

}  // namespace im::common
