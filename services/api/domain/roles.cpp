#include "roles.hpp"

#include "enum_names.hpp"

namespace onboard::domain {

namespace {
constexpr EnumName<Role> kRoles[] = {{Role::kOperator, "operator"},
                                     {Role::kPortal, "portal"},
                                     {Role::kAuditor, "auditor"},
                                     {Role::kProvider, "provider"}};
}  // namespace

std::string_view RoleName(Role role) noexcept { return NameOf(kRoles, role, "unknown"); }

std::optional<Role> ParseRole(std::string_view text) noexcept { return ValueOf(kRoles, text); }

}  // namespace onboard::domain
