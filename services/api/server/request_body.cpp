#include "request_body.hpp"

#include <Poco/UTF8String.h>

#include "error.hpp"

namespace onboard::http {

std::string MediaTypeOf(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  const auto first = type.find_first_not_of(" \t");
  type.erase(0, first == std::string::npos ? type.size() : first);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  return Poco::UTF8::toLower(type);
}

bool HasRequestBody(const Poco::Net::HTTPServerRequest& request) {
  return request.hasContentLength() && request.getContentLength64() > 0;
}

std::string ReadRequestBody(Poco::Net::HTTPServerRequest& request, std::size_t max_bytes) {
  if (!request.hasContentLength()) {
    throw AppError(ErrorCode::kLengthRequired, "a Content-Length header is required");
  }
  const auto length = request.getContentLength64();
  if (length < 0 || static_cast<std::size_t>(length) > max_bytes) {
    throw AppError(ErrorCode::kPayloadTooLarge,
                   "the body is larger than " + std::to_string(max_bytes) + " bytes");
  }
  std::string body(static_cast<std::size_t>(length), '\0');
  request.stream().read(body.data(), length);
  if (request.stream().gcount() != length) {
    throw AppError(ErrorCode::kBadRequest, "the body is shorter than its Content-Length");
  }
  return body;
}

}  // namespace onboard::http
