#pragma once

#include <Poco/Net/HTTPServerRequest.h>

#include <string>

namespace onboard::http {

/// The media type of a Content-Type value: the part before any parameters, without
/// surrounding blanks, lower case ("Application/JSON; charset=utf-8" -> "application/json").
std::string MediaTypeOf(const std::string& content_type);

/// True when the request announces a body (a Content-Length above zero).
bool HasRequestBody(const Poco::Net::HTTPServerRequest& request);

/// Reads the whole request body as bytes: requires a Content-Length (AppError
/// kLengthRequired, 411) of at most `max_bytes` (kPayloadTooLarge, 413), and that many
/// bytes (kBadRequest, 400).
std::string ReadRequestBody(Poco::Net::HTTPServerRequest& request, std::size_t max_bytes);

}  // namespace onboard::http
