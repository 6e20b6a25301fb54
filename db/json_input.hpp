#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace onboard::db {

/// Builds the one jsonb argument of a statement whose inputs are named (`$1::jsonb ->>
/// 'name'` in its SQL) instead of counted positions: members in the order they are added,
/// strings escaped as RFC 8259 requires. Not a general JSON writer.
class JsonInput {
 public:
  JsonInput() {
    text_.reserve(512);
    text_.push_back('{');
  }

  JsonInput& Str(std::string_view name, std::string_view value);
  /// JSON null for an empty value (SQL NULL through `->>`).
  JsonInput& OptStr(std::string_view name, std::string_view value);
  JsonInput& Int(std::string_view name, int64_t value);
  /// Opens a nested object (or an array element object when `name` is empty) / closes it.
  JsonInput& Open(std::string_view name);
  JsonInput& Close();
  JsonInput& OpenArray(std::string_view name);
  JsonInput& CloseArray();

  /// The finished text (closes the outer object).
  std::string Take() &&;

 private:
  void Name(std::string_view name);
  JsonInput& Begin(std::string_view name, char bracket);
  JsonInput& End(char bracket);
  std::string text_;
  bool first_ = true;
};

}  // namespace onboard::db
