#include "json_io.hpp"

#include <Poco/NumberParser.h>
#include <Poco/UTF8String.h>

#include "json_body.hpp"
#include "json_text.hpp"
#include "paging.hpp"

namespace onboard::http {

std::string MediaTypeOf(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  const auto first = type.find_first_not_of(" \t");
  type.erase(0, first == std::string::npos ? type.size() : first);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  return Poco::UTF8::toLower(type);
}

bool HasBody(const RequestContext& ctx) {
  return ctx.request.hasContentLength() && ctx.request.getContentLength64() > 0;
}

std::string ReadBodyBytes(RequestContext& ctx, std::size_t max_bytes) {
  if (!ctx.request.hasContentLength()) {
    throw AppError(ErrorCode::kLengthRequired, "a Content-Length header is required");
  }
  const auto length = ctx.request.getContentLength64();
  if (length < 0 || static_cast<std::size_t>(length) > max_bytes) {
    throw AppError(ErrorCode::kPayloadTooLarge,
                   "the body is larger than " + std::to_string(max_bytes) + " bytes");
  }
  std::string body(static_cast<std::size_t>(length), '\0');
  ctx.request.stream().read(body.data(), length);
  if (ctx.request.stream().gcount() != length) {
    throw AppError(ErrorCode::kBadRequest, "the body is shorter than its Content-Length");
  }
  ctx.body_consumed = true;
  return body;
}

Poco::JSON::Object::Ptr ReadJsonObject(RequestContext& ctx, std::size_t max_bytes,
                                       const char* extra_type) {
  const std::string type = MediaTypeOf(ctx.request.getContentType());
  if (type != "application/json" && (extra_type == nullptr || type != extra_type)) {
    throw AppError(ErrorCode::kUnsupportedMediaType,
                   std::string("the body must be application/json") +
                       (extra_type != nullptr ? std::string(" or ") + extra_type : std::string()));
  }
  return ParseJsonObjectBody(ReadBodyBytes(ctx, max_bytes));
}

void WriteBody(RequestContext& ctx, int status, const std::string& content_type,
               const std::string& body) {
  ctx.status = status;
  ctx.response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  ctx.response.setContentType(content_type);
  ctx.response.setContentLength64(static_cast<Poco::Int64>(body.size()));
  ctx.response.send().write(body.data(), static_cast<std::streamsize>(body.size()));
}

void WriteNoContent(RequestContext& ctx) {
  ctx.status = 204;
  ctx.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
  ctx.response.setContentLength(0);
  ctx.response.send();
}

void WriteJson(RequestContext& ctx, int status, const Poco::JSON::Object& body) {
  WriteBody(ctx, status, "application/json", json::Text(body));
}

void WriteJson(RequestContext& ctx, int status, const Poco::JSON::Array& body) {
  WriteBody(ctx, status, "application/json", json::Text(body));
}

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

PageParams ReadPageParams(const RequestContext& ctx) {
  PageParams p;
  p.cursor = ctx.Query("cursor");
  const std::string limit = ctx.Query("limit");
  if (!limit.empty()) {
    int n = 0;
    if (!Poco::NumberParser::tryParse(limit, n) || n < 1 || n > domain::kMaxPageSize) {
      throw AppError(ErrorCode::kValidation,
                     "limit must be between 1 and " + std::to_string(domain::kMaxPageSize), "",
                     {{"limit", "out_of_range", "limit must be between 1 and 200"}});
    }
    p.limit = n;
  }
  for (char c : p.cursor) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok || p.cursor.size() > 512) {
      throw AppError(ErrorCode::kValidation, "cursor is malformed", "",
                     {{"cursor", "invalid", "cursor is malformed"}});
    }
  }
  return p;
}

}  // namespace onboard::http
