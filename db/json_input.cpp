#include "json_input.hpp"

#include "json_text.hpp"

namespace onboard::db {

void JsonInput::Name(std::string_view name) {
  if (!first_) text_.push_back(',');
  first_ = false;
  if (name.empty()) return;  // an array element
  json::AppendString(text_, name);
  text_.push_back(':');
}

JsonInput& JsonInput::Str(std::string_view name, std::string_view value) {
  Name(name);
  json::AppendString(text_, value);
  return *this;
}

JsonInput& JsonInput::OptStr(std::string_view name, std::string_view value) {
  if (!value.empty()) return Str(name, value);
  Name(name);
  text_ += "null";
  return *this;
}

JsonInput& JsonInput::Int(std::string_view name, int64_t value) {
  Name(name);
  text_ += std::to_string(value);
  return *this;
}

JsonInput& JsonInput::Begin(std::string_view name, char bracket) {
  Name(name);
  text_.push_back(bracket);
  first_ = true;
  return *this;
}

JsonInput& JsonInput::End(char bracket) {
  text_.push_back(bracket);
  first_ = false;
  return *this;
}

JsonInput& JsonInput::Open(std::string_view name) { return Begin(name, '{'); }
JsonInput& JsonInput::Close() { return End('}'); }
JsonInput& JsonInput::OpenArray(std::string_view name) { return Begin(name, '['); }
JsonInput& JsonInput::CloseArray() { return End(']'); }

std::string JsonInput::Take() && {
  text_.push_back('}');
  return std::move(text_);
}

}  // namespace onboard::db
