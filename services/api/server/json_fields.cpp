#include "json_fields.hpp"

#include <Poco/Types.h>

namespace onboard::http {

JsonFields::JsonFields(const Poco::JSON::Object& obj, std::string path_prefix)
    : obj_(obj), prefix_(std::move(path_prefix)) {}

void JsonFields::AddError(const std::string& key, std::string code, std::string message) {
  errors_.push_back({prefix_ + key, std::move(code), std::move(message)});
}

void JsonFields::AddErrors(const std::vector<FieldError>& errors) {
  for (const auto& e : errors) errors_.push_back({prefix_ + e.path, e.code, e.message});
}

void JsonFields::Allow(const std::string& key) { known_.insert(key); }

bool JsonFields::Present(const std::string& key, bool required) {
  known_.insert(key);
  if (obj_.has(key) && !obj_.isNull(key)) return true;
  if (required) AddError(key, "required", key + " is required");
  return false;
}

std::optional<std::string> JsonFields::String(const std::string& key, bool required,
                                              std::size_t max_len) {
  if (!Present(key, required)) return std::nullopt;
  const auto& v = obj_.get(key);
  if (!v.isString()) {
    AddError(key, "invalid_type", key + " must be a string");
    return std::nullopt;
  }
  std::string s = v.extract<std::string>();
  if (s.size() > max_len) {
    AddError(key, "too_long", key + " must be at most " + std::to_string(max_len) + " bytes");
    return std::nullopt;
  }
  return s;
}

std::optional<int64_t> JsonFields::Int(const std::string& key, bool required, int64_t min,
                                       int64_t max) {
  if (!Present(key, required)) return std::nullopt;
  const auto& v = obj_.get(key);
  if (!v.isInteger()) {
    AddError(key, "invalid_type", key + " must be an integer");
    return std::nullopt;
  }
  int64_t n = 0;
  try {
    n = v.convert<Poco::Int64>();
  } catch (const Poco::Exception&) {
    AddError(key, "out_of_range", key + " is out of range");
    return std::nullopt;
  }
  if (n < min || n > max) {
    AddError(key, "out_of_range",
             key + " must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> JsonFields::Bool(const std::string& key, bool required) {
  if (!Present(key, required)) return std::nullopt;
  const auto& v = obj_.get(key);
  if (!v.isBoolean()) {
    AddError(key, "invalid_type", key + " must be true or false");
    return std::nullopt;
  }
  return v.extract<bool>();
}

Poco::JSON::Array::Ptr JsonFields::Array(const std::string& key, bool required) {
  if (!Present(key, required)) return nullptr;
  Poco::JSON::Array::Ptr a = obj_.getArray(key);
  if (!a) AddError(key, "invalid_type", key + " must be an array");
  return a;
}

Poco::JSON::Object::Ptr JsonFields::Object(const std::string& key, bool required) {
  if (!Present(key, required)) return nullptr;
  Poco::JSON::Object::Ptr o = obj_.getObject(key);
  if (!o) AddError(key, "invalid_type", key + " must be an object");
  return o;
}

std::vector<FieldError> JsonFields::Problems() const {
  std::vector<FieldError> out = errors_;
  for (const auto& [key, value] : obj_) {
    if (!known_.contains(key))
      out.push_back({prefix_ + key, "unknown_field", "unknown field " + key});
  }
  return out;
}

void JsonFields::Finish(const std::string& detail) {
  std::vector<FieldError> problems = Problems();
  if (!problems.empty()) throw AppError(ErrorCode::kValidation, detail, "", std::move(problems));
}

}  // namespace onboard::http
