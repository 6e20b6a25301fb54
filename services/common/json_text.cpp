#include "json_text.hpp"

#include <Poco/JSON/Stringifier.h>

#include <sstream>
#include <typeinfo>

#include "log_line.hpp"

namespace onboard::json {

void AppendString(std::string& out, std::string_view value) {
  out.push_back('"');
  log::AppendJsonEscaped(out, value);
  out.push_back('"');
}

void Append(std::string& out, const Poco::JSON::Object& value) {
  // getNames() follows the object's order (insertion order when it keeps one); iterating
  // begin()..end() would always give name order.
  out.push_back('{');
  bool first = true;
  for (const auto& name : value.getNames()) {
    if (!first) out.push_back(',');
    first = false;
    AppendString(out, name);
    out.push_back(':');
    Append(out, value.get(name));
  }
  out.push_back('}');
}

void Append(std::string& out, const Poco::JSON::Array& value) {
  out.push_back('[');
  bool first = true;
  for (const auto& v : value) {
    if (!first) out.push_back(',');
    first = false;
    Append(out, v);
  }
  out.push_back(']');
}

namespace {

template <typename Ptr>
void AppendPointee(std::string& out, const Ptr& p) {
  if (p.isNull()) {
    out += "null";
  } else {
    Append(out, *p);
  }
}

}  // namespace

void Append(std::string& out, const Poco::Dynamic::Var& value) {
  const std::type_info& type = value.type();
  if (value.isEmpty()) {
    out += "null";
  } else if (type == typeid(std::string)) {
    AppendString(out, value.extract<std::string>());
  } else if (type == typeid(Poco::JSON::Object::Ptr)) {
    AppendPointee(out, value.extract<Poco::JSON::Object::Ptr>());
  } else if (type == typeid(Poco::JSON::Array::Ptr)) {
    AppendPointee(out, value.extract<Poco::JSON::Array::Ptr>());
  } else if (type == typeid(Poco::JSON::Object)) {
    Append(out, value.extract<Poco::JSON::Object>());
  } else if (type == typeid(Poco::JSON::Array)) {
    Append(out, value.extract<Poco::JSON::Array>());
  } else if (type == typeid(bool)) {
    out += value.extract<bool>() ? "true" : "false";
  } else if (type == typeid(int)) {
    out += std::to_string(value.extract<int>());
  } else if (type == typeid(Poco::Int64)) {
    out += std::to_string(value.extract<Poco::Int64>());
  } else if (type == typeid(long long)) {
    out += std::to_string(value.extract<long long>());
  } else if (type == typeid(unsigned)) {
    out += std::to_string(value.extract<unsigned>());
  } else if (type == typeid(Poco::UInt64)) {
    out += std::to_string(value.extract<Poco::UInt64>());
  } else if (value.isString() || value.isDate() || value.isTime() || value.isDateTime() ||
             type == typeid(char)) {
    AppendString(out, value.convert<std::string>());
  } else {
    // Other numbers (doubles, small integers): exactly as Poco writes them.
    std::ostringstream text;
    Poco::JSON::Stringifier::stringify(value, text);
    out += text.str();
  }
}

std::string Text(const Poco::JSON::Object& value) {
  std::string out;
  out.reserve(256);
  Append(out, value);
  return out;
}

std::string Text(const Poco::JSON::Array& value) {
  std::string out;
  out.reserve(256);
  Append(out, value);
  return out;
}

std::string Text(const Poco::Dynamic::Var& value) {
  std::string out;
  Append(out, value);
  return out;
}

}  // namespace onboard::json
