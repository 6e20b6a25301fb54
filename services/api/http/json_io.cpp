#include "json_io.hpp"

#include <Poco/NumberParser.h>

#include "json_body.hpp"
#include "json_text.hpp"
#include "paging.hpp"

namespace onboard::http {

bool HasBody(const RequestContext& ctx) { return HasRequestBody(ctx.request); }

std::string ReadBodyBytes(RequestContext& ctx, std::size_t max_bytes) {
  std::string body = ReadRequestBody(ctx.request, max_bytes);
  ctx.body_consumed = true;
  return body;
}

Poco::JSON::Object::Ptr ReadJsonObject(RequestContext& ctx, std::size_t max_bytes,
                                       const char* extra_type) {
  return ParseJsonObjectBody(ReadJsonBodyText(ctx, max_bytes, extra_type));
}

std::string ReadJsonBodyText(RequestContext& ctx, std::size_t max_bytes, const char* extra_type) {
  const std::string type = MediaTypeOf(ctx.request.getContentType());
  if (type != "application/json" && (extra_type == nullptr || type != extra_type)) {
    throw AppError(ErrorCode::kUnsupportedMediaType,
                   std::string("the body must be application/json") +
                       (extra_type != nullptr ? std::string(" or ") + extra_type : std::string()));
  }
  return ReadBodyBytes(ctx, max_bytes);
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
