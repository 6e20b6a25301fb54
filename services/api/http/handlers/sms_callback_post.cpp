#include <Poco/Net/HTMLForm.h>
#include <Poco/URI.h>
#include <Poco/UTF8String.h>

#include <cctype>
#include <sstream>

#include "courier.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "log.hpp"
#include "twilio_signature.hpp"
#include "uuid.hpp"

namespace onboard::http::handlers {

namespace {

[[noreturn]] void Reject(RequestContext& ctx, const std::string& reason) {
  // Logged without the signature value or the parameters.
  Poco::JSON::Object f;
  f.set("request_id", ctx.request_id);
  f.set("source_ip", ctx.source_ip);
  f.set("reason", reason);
  f.set("has_signature", ctx.request.has("X-Twilio-Signature"));
  log::Warn("sms status callback rejected", f);
  throw AppError(ErrorCode::kForbidden, "not a validly signed status callback", reason);
}

}  // namespace

// Delivery reports of the SMS provider. Public (no bearer token): the provider proves itself
// with X-Twilio-Signature, HMAC-SHA1 keyed with the auth token over the configured callback
// URL (plus this request's query, which carries the delivery id) and the sorted parameters.
void SmsCallbackPost(RequestContext& ctx, AppServices& svc) {
  const auto& sms = svc.config.sms;
  std::string type = ctx.request.getContentType();
  type = Poco::UTF8::toLower(type.substr(0, type.find(';')));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  if (!ctx.request.hasContentLength())
    throw AppError(ErrorCode::kLengthRequired, "a Content-Length header is required");
  const auto length = ctx.request.getContentLength64();
  if (length < 0 || length > svc.config.http.max_body_bytes) {
    throw AppError(ErrorCode::kPayloadTooLarge, "the body is too large");
  }
  std::string body(static_cast<std::size_t>(length), '\0');
  ctx.request.stream().read(body.data(), length);
  if (ctx.request.stream().gcount() != length)
    throw AppError(ErrorCode::kBadRequest, "the body is shorter than its Content-Length");
  ctx.body_consumed = true;

  if (sms.auth_token.empty() || sms.status_callback_url.empty())
    Reject(ctx, "sms callbacks are not configured");
  if (type != "application/x-www-form-urlencoded") Reject(ctx, "not a form");
  twilio::FormParams params;
  Poco::Net::HTMLForm form;
  try {
    std::istringstream in(body);
    form.setFieldLimit(200);
    form.read(in);
  } catch (const Poco::Exception& e) {
    Reject(ctx, "unreadable form: " + e.displayText());
  }
  for (const auto& [name, value] : form) params.emplace_back(name, value);
  const Poco::URI uri(ctx.request.getURI());
  std::string url = sms.status_callback_url;
  if (!uri.getRawQuery().empty())
    url += (url.find('?') == std::string::npos ? "?" : "&") + uri.getRawQuery();
  if (!twilio::ValidSignature(sms.auth_token, url, params,
                              ctx.request.get("X-Twilio-Signature", ""))) {
    Reject(ctx, "signature does not match");
  }

  domain::SmsStatusReport report;
  report.message_sid = form.get("MessageSid", form.get("SmsSid", ""));
  report.provider_status = form.get("MessageStatus", form.get("SmsStatus", ""));
  report.error_code = form.get("ErrorCode", "");
  for (const auto& [name, value] : uri.getQueryParameters()) {
    if (name == "delivery") report.delivery_id = value;
  }
  if (report.message_sid.empty() || report.provider_status.empty()) {
    throw AppError(ErrorCode::kBadRequest, "MessageSid and MessageStatus are required");
  }
  if (!report.delivery_id.empty() && !IsUuid(report.delivery_id)) {
    throw AppError(ErrorCode::kBadRequest, "the delivery parameter is not a delivery id");
  }
  Poco::JSON::Object f;
  f.set("request_id", ctx.request_id);
  f.set("sid", report.message_sid);
  f.set("provider_status", report.provider_status);
  const auto state = domain::SmsStateFromProviderStatus(report.provider_status);
  if (!state) {
    log::Info("sms status callback ignored (status says nothing about delivery)", f);
    return WriteBody(ctx, 204, "text/plain", "");
  }
  report.state = *state;
  domain::AuditEvent audit = ctx.Audit("delivery.sms_status", "delivery", report.delivery_id, "");
  audit.actor.name = "sms-provider";
  audit.actor.role = "system";
  const auto effect = svc.sms_callbacks.Apply(
      report, audit, std::chrono::minutes(svc.config.courier.deadline_minutes));
  f.set("effect", effect == domain::CallbackEffect::kAdvanced    ? "advanced"
                  : effect == domain::CallbackEffect::kUnchanged ? "unchanged"
                                                                 : "unknown_message");
  log::Info("sms status callback", f);
  WriteBody(ctx, 204, "text/plain", "");
}

}  // namespace onboard::http::handlers
