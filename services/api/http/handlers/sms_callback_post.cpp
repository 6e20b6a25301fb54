#include <Poco/Net/HTMLForm.h>
#include <Poco/URI.h>
#include <Poco/UTF8String.h>

#include <sstream>

#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "sms_callbacks.hpp"

namespace onboard::http::handlers {

namespace {

// The callback's body within its Content-Length (411 without one, 413 above the limit).
std::string ReadSmsCallbackBody(RequestContext& ctx, int64_t max_body_bytes) {
  if (!ctx.request.hasContentLength())
    throw AppError(ErrorCode::kLengthRequired, "a Content-Length header is required");
  const auto length = ctx.request.getContentLength64();
  if (length < 0 || length > max_body_bytes) {
    throw AppError(ErrorCode::kPayloadTooLarge, "the body is too large");
  }
  std::string body(static_cast<std::size_t>(length), '\0');
  ctx.request.stream().read(body.data(), length);
  if (ctx.request.stream().gcount() != length)
    throw AppError(ErrorCode::kBadRequest, "the body is shorter than its Content-Length");
  ctx.body_consumed = true;
  return body;
}

usecases::SmsStatusCallback ReadSmsCallback(RequestContext& ctx, int64_t max_body_bytes) {
  usecases::SmsStatusCallback callback;
  std::string type = ctx.request.getContentType();
  type = Poco::UTF8::toLower(type.substr(0, type.find(';')));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  callback.media_type = type;
  const std::string body = ReadSmsCallbackBody(ctx, max_body_bytes);
  if (callback.media_type == "application/x-www-form-urlencoded") {
    Poco::Net::HTMLForm form;
    try {
      std::istringstream in(body);
      form.setFieldLimit(200);
      form.read(in);
      for (const auto& [name, value] : form) callback.form.emplace_back(name, value);
    } catch (const Poco::Exception& e) {
      callback.form_error = e.displayText();
    }
  }
  callback.raw_query = Poco::URI(ctx.request.getURI()).getRawQuery();
  callback.has_signature = ctx.request.has("X-Twilio-Signature");
  callback.signature = ctx.request.get("X-Twilio-Signature", "");
  callback.request_id = ctx.request_id;
  callback.source_ip = ctx.source_ip;
  return callback;
}

}  // namespace

// Delivery reports of the SMS provider. Public (no bearer token): the provider proves itself
// with X-Twilio-Signature (checked in usecases/sms_callbacks.cpp). 204 whatever it changed.
void SmsCallbackPost(RequestContext& ctx, AppServices& svc) {
  svc.use_cases.sms_callbacks.Receive(ReadSmsCallback(ctx, svc.config.http.max_body_bytes));
  WriteBody(ctx, 204, "text/plain", "");
}

}  // namespace onboard::http::handlers
