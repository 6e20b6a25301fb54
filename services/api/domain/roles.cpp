#include "roles.hpp"

namespace onboard::domain {

std::string_view RoleName(Role role) noexcept {
  switch (role) {
    case Role::kOperator:
      return "operator";
    case Role::kPortal:
      return "portal";
    case Role::kAuditor:
      return "auditor";
    case Role::kProvider:
      return "provider";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view text) noexcept {
  if (text == "operator") return Role::kOperator;
  if (text == "portal") return Role::kPortal;
  if (text == "auditor") return Role::kAuditor;
  if (text == "provider") return Role::kProvider;
  return std::nullopt;
}

}  // namespace onboard::domain
