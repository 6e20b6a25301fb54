#pragma once

#include <chrono>
#include <string>

#include "config.hpp"
#include "courier.hpp"
#include "twilio_signature.hpp"

/// The SMS provider's delivery reports (POST /v1/callbacks/sms, public: the provider proves
/// itself with X-Twilio-Signature).
namespace onboard::usecases {

/// A status callback as the handler read it (the body within its Content-Length).
struct SmsStatusCallback {
  std::string media_type;   ///< Content-Type without parameters, lower case
  twilio::FormParams form;  ///< the form's parameters as read (for a form body)
  std::string form_error;   ///< why the form body could not be read, when it could not
  std::string raw_query;    ///< the request URI's query as sent (it is part of what is signed)
  std::string signature;    ///< X-Twilio-Signature, empty when absent
  bool has_signature = false;
  std::string request_id;
  std::string source_ip;
};

/// What a callback did.
enum class SmsCallbackOutcome {
  kIgnored,         ///< its status says nothing about delivery
  kUnknownMessage,  ///< no delivery with that message
  kUnchanged,       ///< a repeated or stale report
  kAdvanced,        ///< the delivery's SMS state moved forward (audited)
};

/// Thread-safe as its store is.
class SmsCallbacks {
 public:
  /// `redact_deadline`: how long the redaction of a delivered message may be retried.
  SmsCallbacks(domain::SmsCallbackStore& store, const SmsConfig& sms,
               std::chrono::minutes redact_deadline)
      : store_(store), sms_(sms), redact_deadline_(redact_deadline) {}

  /// Refuses (kForbidden "not a validly signed status callback", the reason logged only)
  /// when callbacks are not configured, the body is not a readable form or the signature
  /// (HMAC-SHA1 with the auth token over the configured callback URL plus this request's
  /// query, and the sorted parameters) does not match; kBadRequest without MessageSid and
  /// MessageStatus or with a `delivery` that is not a UUID. A status that says nothing about
  /// delivery is ignored; any other is applied (forward only) and audited as
  /// `delivery.sms_status` by `sms-provider` (role system).
  SmsCallbackOutcome Receive(const SmsStatusCallback& callback);

 private:
  domain::SmsCallbackStore& store_;
  const SmsConfig& sms_;
  const std::chrono::minutes redact_deadline_;
};

}  // namespace onboard::usecases
