#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace onboard::domain {

/// Roles of API tokens (see docs/ARCHITECTURE.md, "Who may call what").
enum class Role { kOperator, kPortal, kAuditor, kProvider };

std::string_view RoleName(Role role) noexcept;
std::optional<Role> ParseRole(std::string_view text) noexcept;

/// Bit for a role in a route's allowed-roles mask.
constexpr unsigned RoleBit(Role role) noexcept { return 1u << static_cast<unsigned>(role); }

}  // namespace onboard::domain
