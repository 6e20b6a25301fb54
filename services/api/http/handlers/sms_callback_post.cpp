#include <Poco/Net/HTMLForm.h>
#include <Poco/URI.h>

#include <sstream>

#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "sms_callbacks.hpp"

namespace onboard::http::handlers {

namespace {

usecases::SmsStatusCallback ReadSmsCallback(RequestContext& ctx, int64_t max_body_bytes) {
  usecases::SmsStatusCallback callback;
  callback.media_type = MediaTypeOf(ctx.request.getContentType());
  const std::string body = ReadBodyBytes(ctx, static_cast<std::size_t>(max_body_bytes));
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
