#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace onboard {

/// One row of an enum's table of names: the spelling a value has on the wire, in the
/// database and in configuration. A table lists each value once, e.g.
///   constexpr EnumName<Role> kRoles[] = {{Role::kOperator, "operator"}, ...};
/// and the enum's ToString / FromString functions are NameOf / ValueOf over it, so the two
/// directions cannot disagree.
template <typename Enum>
struct EnumName {
  Enum value;
  std::string_view name;
};

/// The name of `value` in `table`; `fallback` when the table does not list it (a value cast
/// from an out-of-range integer).
template <typename Enum, std::size_t N>
constexpr std::string_view NameOf(const EnumName<Enum> (&table)[N], Enum value,
                                  std::string_view fallback = {}) noexcept {
  for (const auto& row : table) {
    if (row.value == value) return row.name;
  }
  return fallback;
}

/// The value whose name is exactly `name` (case-sensitive) in `table`, or nullopt.
template <typename Enum, std::size_t N>
constexpr std::optional<Enum> ValueOf(const EnumName<Enum> (&table)[N],
                                      std::string_view name) noexcept {
  for (const auto& row : table) {
    if (row.name == name) return row.value;
  }
  return std::nullopt;
}

/// ValueOf for the parsers that answer with a flag: true and `out` set when `name` is in
/// `table`; false and `out` untouched otherwise.
template <typename Enum, std::size_t N>
constexpr bool ParseName(const EnumName<Enum> (&table)[N], std::string_view name,
                         Enum& out) noexcept {
  const std::optional<Enum> value = ValueOf(table, name);
  if (value) out = *value;
  return value.has_value();
}

}  // namespace onboard
