#include "sms_callbacks.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include "error.hpp"
#include "log.hpp"
#include "uuid.hpp"

namespace onboard::usecases {

namespace {

[[noreturn]] void RejectSmsCallback(const SmsStatusCallback& callback, const std::string& reason) {
  // Logged without the signature value or the parameters.
  Poco::JSON::Object f;
  f.set("request_id", callback.request_id);
  f.set("source_ip", callback.source_ip);
  f.set("reason", reason);
  f.set("has_signature", callback.has_signature);
  log::Warn("sms status callback rejected", f);
  throw AppError(ErrorCode::kForbidden, "not a validly signed status callback", reason);
}

// The first value of a form parameter, its name compared without case (as a form reader's
// lookup does), or `fallback`.
std::string SmsFormValue(const twilio::FormParams& form, const std::string& name,
                         const std::string& fallback) {
  for (const auto& [key, value] : form) {
    if (Poco::icompare(key, name) == 0) return value;
  }
  return fallback;
}

// The report a verified callback carries; kBadRequest when it lacks what identifies it.
domain::SmsStatusReport SmsReportOf(const SmsStatusCallback& callback) {
  domain::SmsStatusReport report;
  report.message_sid =
      SmsFormValue(callback.form, "MessageSid", SmsFormValue(callback.form, "SmsSid", ""));
  report.provider_status =
      SmsFormValue(callback.form, "MessageStatus", SmsFormValue(callback.form, "SmsStatus", ""));
  report.error_code = SmsFormValue(callback.form, "ErrorCode", "");
  Poco::URI uri;
  uri.setRawQuery(callback.raw_query);
  for (const auto& [name, value] : uri.getQueryParameters()) {
    if (name == "delivery") report.delivery_id = value;
  }
  if (report.message_sid.empty() || report.provider_status.empty()) {
    throw AppError(ErrorCode::kBadRequest, "MessageSid and MessageStatus are required");
  }
  if (!report.delivery_id.empty() && !IsUuid(report.delivery_id)) {
    throw AppError(ErrorCode::kBadRequest, "the delivery parameter is not a delivery id");
  }
  return report;
}

const char* SmsEffectName(domain::CallbackEffect effect) {
  return effect == domain::CallbackEffect::kAdvanced    ? "advanced"
         : effect == domain::CallbackEffect::kUnchanged ? "unchanged"
                                                        : "unknown_message";
}

}  // namespace

SmsCallbackOutcome SmsCallbacks::Receive(const SmsStatusCallback& callback) {
  if (sms_.auth_token.empty() || sms_.status_callback_url.empty())
    RejectSmsCallback(callback, "sms callbacks are not configured");
  if (callback.media_type != "application/x-www-form-urlencoded")
    RejectSmsCallback(callback, "not a form");
  if (!callback.form_error.empty())
    RejectSmsCallback(callback, "unreadable form: " + callback.form_error);
  std::string url = sms_.status_callback_url;
  if (!callback.raw_query.empty())
    url += (url.find('?') == std::string::npos ? "?" : "&") + callback.raw_query;
  if (!twilio::ValidSignature(sms_.auth_token, url, callback.form, callback.signature))
    RejectSmsCallback(callback, "signature does not match");

  domain::SmsStatusReport report = SmsReportOf(callback);
  Poco::JSON::Object f;
  f.set("request_id", callback.request_id);
  f.set("sid", report.message_sid);
  f.set("provider_status", report.provider_status);
  const auto state = domain::SmsStateFromProviderStatus(report.provider_status);
  if (!state) {
    log::Info("sms status callback ignored (status says nothing about delivery)", f);
    return SmsCallbackOutcome::kIgnored;
  }
  report.state = *state;
  domain::AuditEvent audit;
  audit.actor.name = "sms-provider";
  audit.actor.role = "system";
  audit.actor.request_id = callback.request_id;
  audit.actor.source_ip = callback.source_ip;
  audit.action = "delivery.sms_status";
  audit.target_type = "delivery";
  audit.target_id = report.delivery_id;
  const auto effect = store_.Apply(report, audit, redact_deadline_);
  f.set("effect", SmsEffectName(effect));
  log::Info("sms status callback", f);
  return effect == domain::CallbackEffect::kAdvanced    ? SmsCallbackOutcome::kAdvanced
         : effect == domain::CallbackEffect::kUnchanged ? SmsCallbackOutcome::kUnchanged
                                                        : SmsCallbackOutcome::kUnknownMessage;
}

}  // namespace onboard::usecases
