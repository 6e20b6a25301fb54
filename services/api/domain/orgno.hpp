#pragma once

#include <string_view>

namespace onboard::domain {

/// True if `orgno` is a Norwegian organisation number: exactly nine ASCII digits whose
/// last digit is the mod-11 check digit over the first eight (weights 3,2,7,6,5,4,3,2;
/// check = 11 - sum % 11, 11 becomes 0, 10 makes the number invalid). No spaces or
/// separators are accepted. Pure; never throws.
bool IsValidOrgno(std::string_view orgno) noexcept;

}  // namespace onboard::domain
