#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "error.hpp"
#include "json_fields.hpp"
#include "request_body.hpp"
#include "request_context.hpp"

namespace onboard::http {

/// True when the request announces a body (a Content-Length above zero).
bool HasBody(const RequestContext& ctx);

/// Reads the whole request body as bytes (ReadRequestBody, server/request_body.hpp) and
/// notes it read. The one body reader of the handlers.
std::string ReadBodyBytes(RequestContext& ctx, std::size_t max_bytes);

/// Reads the request body as one JSON object: requires a JSON content type (415; the
/// accepted types are `application/json` plus `extra_type` if given), a Content-Length
/// (411), at most `max_bytes` (413), and well-formed JSON (400 malformed_json).
Poco::JSON::Object::Ptr ReadJsonObject(RequestContext& ctx, std::size_t max_bytes,
                                       const char* extra_type = nullptr);
/// ReadJsonObject's HTTP checks (415, 411, 413) and the body's bytes, not yet parsed (for
/// a handler with a fast path, server/flat_json.hpp's ReadFlatStringObject).
std::string ReadJsonBodyText(RequestContext& ctx, std::size_t max_bytes,
                             const char* extra_type = nullptr);

/// Writes `body` as application/json with `status`.
void WriteJson(RequestContext& ctx, int status, const Poco::JSON::Object& body);
void WriteJson(RequestContext& ctx, int status, const Poco::JSON::Array& body);
/// Writes an empty 204 No Content.
void WriteNoContent(RequestContext& ctx);
/// Writes a plain body with a content type.
void WriteBody(RequestContext& ctx, int status, const std::string& content_type,
               const std::string& body);

/// Parses `limit` (1..kMaxPageSize, default 50) and `cursor` query parameters.
struct PageParams {
  std::string cursor;
  int limit = 50;
};
PageParams ReadPageParams(const RequestContext& ctx);

}  // namespace onboard::http
