#pragma once

#include <Poco/JSON/Object.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "error.hpp"
#include "request_context.hpp"

namespace onboard::http {

/// The media type of a Content-Type value: the part before any parameters, without
/// surrounding blanks, lower case ("Application/JSON; charset=utf-8" -> "application/json").
std::string MediaTypeOf(const std::string& content_type);

/// True when the request announces a body (a Content-Length above zero).
bool HasBody(const RequestContext& ctx);

/// Reads the whole request body as bytes: requires a Content-Length (411) of at most
/// `max_bytes` (413), and that many bytes (400). The one body reader of the handlers.
std::string ReadBodyBytes(RequestContext& ctx, std::size_t max_bytes);

/// Reads the request body as one JSON object: requires a JSON content type (415; the
/// accepted types are `application/json` plus `extra_type` if given), a Content-Length
/// (411), at most `max_bytes` (413), and well-formed JSON (400 malformed_json).
Poco::JSON::Object::Ptr ReadJsonObject(RequestContext& ctx, std::size_t max_bytes,
                                       const char* extra_type = nullptr);

/// Writes `body` as application/json with `status`.
void WriteJson(RequestContext& ctx, int status, const Poco::JSON::Object& body);
void WriteJson(RequestContext& ctx, int status, const Poco::JSON::Array& body);
/// Writes an empty 204 No Content.
void WriteNoContent(RequestContext& ctx);
/// Writes a plain body with a content type.
void WriteBody(RequestContext& ctx, int status, const std::string& content_type,
               const std::string& body);

/// Typed field access on a request object that remembers every problem and rejects
/// fields nobody asked for. Call Finish() last: it throws AppError(kValidation) with all
/// collected field errors.
class JsonFields {
 public:
  JsonFields(const Poco::JSON::Object& obj, std::string path_prefix = {});

  std::optional<std::string> String(const std::string& key, bool required,
                                    std::size_t max_len = 10000);
  std::optional<int64_t> Int(const std::string& key, bool required, int64_t min, int64_t max);
  std::optional<bool> Bool(const std::string& key, bool required);
  Poco::JSON::Array::Ptr Array(const std::string& key, bool required);
  Poco::JSON::Object::Ptr Object(const std::string& key, bool required);
  /// Marks a key as known without reading it.
  void Allow(const std::string& key);
  bool Has(const std::string& key) const { return obj_.has(key); }
  bool IsNull(const std::string& key) const { return obj_.isNull(key); }

  void AddError(const std::string& key, std::string code, std::string message);
  void AddErrors(const std::vector<FieldError>& errors);
  void Finish(const std::string& detail = "the request body is invalid");
  /// The collected problems plus one per unknown field, without throwing: what a
  /// command carries as its input errors, for the use case to report with its own.
  std::vector<FieldError> Problems() const;

 private:
  /// Marks `key` as known; true when it holds a value (not null), else false with a
  /// `required` problem when it is.
  bool Present(const std::string& key, bool required);

  const Poco::JSON::Object& obj_;
  std::string prefix_;
  std::set<std::string> known_;
  std::vector<FieldError> errors_;
};

/// Parses `limit` (1..kMaxPageSize, default 50) and `cursor` query parameters.
struct PageParams {
  std::string cursor;
  int limit = 50;
};
PageParams ReadPageParams(const RequestContext& ctx);

}  // namespace onboard::http
