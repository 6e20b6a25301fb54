#include "courier_worker.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Base64Decoder.h>

#include <iterator>
#include <sstream>

#include "error.hpp"
#include "log.hpp"

namespace onboard::courier {

namespace {

using std::chrono::milliseconds;

std::string Json(const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

// A member of the decrypted payload. The parsed copy inside Poco is short-lived; the value
// we keep is wiped by SecretString.
crypto::SecretString PayloadField(const Poco::JSON::Object::Ptr& o, const std::string& name) {
  if (!o || !o->has(name) || o->isNull(name)) return crypto::SecretString();
  return crypto::SecretString(o->getValue<std::string>(name));
}

Poco::JSON::Object::Ptr ParsePayload(const crypto::SecretString& text) {
  Poco::JSON::Parser parser;
  auto v = parser.parse(text.reveal());
  if (v.type() != typeid(Poco::JSON::Object::Ptr)) {
    throw AppError(ErrorCode::kInternal, "internal error", "outbox payload is not a JSON object");
  }
  return v.extract<Poco::JSON::Object::Ptr>();
}

std::string Base64Decode(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder decoder(in);
  std::string out((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
  return out;
}

}  // namespace

Worker::Worker(const AppConfig& config, db::CourierRepository& store, const crypto::KeyRing& keys,
               std::string name)
    : ClaimingWorker(std::move(name), "courier", config.courier),
      config_(config),
      store_(store),
      keys_(keys),
      sms_(config.sms),
      smtp_(config.smtp),
      rng_(std::random_device{}()) {}

int Worker::RunOnce(StopSignal& stop) {
  // A row whose processing failed stays claimed until its lease runs out; an attempt that
  // began is then treated as an unknown outcome.
  return ClaimRound(
      store_, name_, config_.courier, stop, [this](const auto& item) { Process(item); },
      [this](const auto& item) { return LogFields(item); },
      "courier could not process an outbox row");
}

Poco::JSON::Object Worker::LogFields(const domain::OutboxItem& item) const {
  Poco::JSON::Object f;
  f.set("worker", name_);
  f.set("outbox_id", item.id);
  f.set("delivery_id", item.delivery_id);
  f.set("kind", std::string(domain::ToString(item.kind)));
  f.set("to",
        item.kind == domain::OutboxKind::kEmail ? item.recipient : log::MaskPhone(item.recipient));
  return f;
}

domain::AuditEvent Worker::Audit(const domain::OutboxItem& item, std::string action,
                                 std::string outcome, const Poco::JSON::Object& detail) const {
  domain::AuditEvent e;
  e.actor.name = "onboard-courier";
  e.actor.role = "system";
  e.actor.request_id = "outbox-" + std::to_string(item.id);
  e.organisation = item.organisation;
  e.action = std::move(action);
  e.target_type = "delivery";
  e.target_id = item.delivery_id;
  e.outcome = std::move(outcome);
  Poco::JSON::Object d(detail);
  d.set("outbox_id", item.id);
  d.set("courier", name_);
  e.detail_json = Json(d);
  return e;
}

crypto::SecretString Worker::OpenPayload(const domain::OutboxItem& item) const {
  if (item.sealed_payload.empty() || item.payload_kek_id.empty()) {
    throw AppError(ErrorCode::kInternal, "internal error", "outbox row has no sealed payload");
  }
  return keys_.Open(item.payload_kek_id, item.sealed_payload,
                    crypto::OutboxAad(item.delivery_id, domain::ToString(item.kind)));
}

std::string Worker::StatusCallbackFor(const domain::OutboxItem& item) const {
  const std::string& url = config_.sms.status_callback_url;
  if (url.empty()) return {};
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "delivery=" + item.delivery_id;
}

void Worker::Process(const domain::OutboxItem& item) {
  switch (item.kind) {
    case domain::OutboxKind::kSms:
      return ProcessSms(item);
    case domain::OutboxKind::kEmail:
      return ProcessEmail(item);
    case domain::OutboxKind::kSmsRedact:
      return ProcessRedact(item);
  }
}

void Worker::ProcessSms(const domain::OutboxItem& item) {
  const crypto::SecretString payload = OpenPayload(item);
  const crypto::SecretString body = PayloadField(ParsePayload(payload), "body");
  if (body.empty()) return Fail(item, "bad_payload", "the SMS payload has no body");
  const bool past_deadline = domain::SystemTime::clock::now() >= item.deadline_at;

  // The provider already reported on this delivery's SMS (a signed callback can beat the
  // answer to our request, and the message may even be redacted by now): it went out.
  if (!item.delivery_sms_sid.empty())
    return Sent(item, item.delivery_sms_sid, "status_callback", item.attempts);
  if (item.attempt_started_at) {
    // An earlier attempt may have reached the provider: look before sending again, so a
    // password never goes out twice. Two minutes of slack for clocks that disagree.
    const auto found =
        sms_.FindSent(item.recipient, body, *item.attempt_started_at - std::chrono::minutes(2));
    auto f = LogFields(item);
    f.set("lookup", found.outcome == LookupResult::Outcome::kFound      ? "found"
                    : found.outcome == LookupResult::Outcome::kNotFound ? "not_found"
                                                                        : "failed");
    f.set("scanned", found.scanned);
    log::Info("courier looked up an SMS whose earlier attempt has an unknown outcome", f);
    if (found.outcome == LookupResult::Outcome::kFound)
      return Sent(item, found.sid, "lookup", item.attempts);
    if (found.outcome == LookupResult::Outcome::kFailed) {
      domain::SendResult r = found.failure;
      r.outcome = domain::SendOutcome::kUnknown;  // still open: keep looking first next time
      return Retry(item, r, item.attempts);
    }
  }
  if (past_deadline)
    return Fail(item, "deadline_exceeded", "not sent before the delivery deadline");
  if (!BeginAttempt(item)) return;
  const int attempts = item.attempts + 1;
  const domain::SendResult r = sms_.Send(item.recipient, body, StatusCallbackFor(item));
  // An SMS whose answer was lost is looked up before it is sent again (a password goes out
  // once).
  Settle(item, r, r.provider_ref, attempts, false);
}

void Worker::ProcessEmail(const domain::OutboxItem& item) {
  if (config_.smtp.host.empty()) {
    // No relay configured: keep the row waiting instead of failing it.
    domain::SendResult r;
    r.error_code = "smtp_not_configured";
    r.error_message = "smtp.host is not configured";
    return Retry(item, r, item.attempts + 1);
  }
  if (domain::SystemTime::clock::now() >= item.deadline_at) {
    return Fail(item, "deadline_exceeded", "not sent before the delivery deadline");
  }
  const crypto::SecretString payload = OpenPayload(item);
  const auto o = ParsePayload(payload);
  MailItem mail;
  mail.to = item.recipient;
  mail.subject = o->optValue<std::string>("subject", "");
  mail.text = PayloadField(o, "text");
  mail.attachment_name = o->optValue<std::string>("attachment_name", "package.zip");
  {
    crypto::SecretString b64 = PayloadField(o, "attachment_base64");
    mail.attachment = crypto::SecretString(Base64Decode(b64.reveal()));
  }
  if (mail.attachment.empty())
    return Fail(item, "bad_payload", "the e-mail payload has no attachment");
  mail.message_id = "<outbox-" + std::to_string(item.id) + "." + item.delivery_id + "@onboard>";
  if (!BeginAttempt(item)) return;
  const int attempts = item.attempts + 1;
  const domain::SendResult r = smtp_.Send(mail);
  // Resending a zip is harmless without its password.
  Settle(item, r, r.provider_ref, attempts, true);
}

bool Worker::BeginAttempt(const domain::OutboxItem& item) {
  if (store_.BeginAttempt(item, name_, milliseconds(config_.courier.lease_ms))) return true;
  // The delivery may have been revoked or reissued since the claim (the API cancels only
  // rows still pending): then this row must not go out at all.
  Poco::JSON::Object d;
  d.set("reason", "delivery_revoked");
  const char* action =
      item.kind == domain::OutboxKind::kSms ? "delivery.sms_cancelled" : "delivery.email_cancelled";
  if (store_.CancelRevoked(item, name_, Audit(item, action, "cancelled", d))) {
    log::Info("courier cancelled a claimed outbox row: its delivery was revoked", LogFields(item));
  } else {
    log::Warn("courier lost its claim on an outbox row before sending", LogFields(item));
  }
  return false;
}

void Worker::ProcessRedact(const domain::OutboxItem& item) {
  if (domain::SystemTime::clock::now() >= item.deadline_at) {
    return Fail(item, "deadline_exceeded", "not redacted before the deadline");
  }
  if (!store_.BeginAttempt(item, name_, milliseconds(config_.courier.lease_ms))) return;
  const int attempts = item.attempts + 1;
  const domain::SendResult r = sms_.Redact(item.provider_ref);
  Settle(item, r, item.provider_ref, attempts, true);  // redacting twice is harmless
}

void Worker::Settle(const domain::OutboxItem& item, const domain::SendResult& r,
                    const std::string& ref, int attempts, bool repeat_is_harmless) {
  switch (r.outcome) {
    case domain::SendOutcome::kAccepted:
      return Sent(item, ref, "", attempts);
    case domain::SendOutcome::kPermanent:
      return Fail(item, r.error_code, r.error_message);
    case domain::SendOutcome::kRetryable:
    case domain::SendOutcome::kUnknown: {
      domain::SendResult retry = r;
      if (repeat_is_harmless) retry.outcome = domain::SendOutcome::kRetryable;
      return Retry(item, retry, attempts);
    }
  }
}

void Worker::Sent(const domain::OutboxItem& item, const std::string& ref, const char* found_by,
                  int attempts) {
  const std::string_view known_from(found_by);
  Poco::JSON::Object d;
  d.set("attempts", attempts);
  std::string action;
  switch (item.kind) {
    case domain::OutboxKind::kSms:
      action = "delivery.sms_sent";
      d.set("sid", ref);
      d.set("to", log::MaskPhone(item.recipient));
      if (!known_from.empty()) d.set("found_by", std::string(known_from));
      break;
    case domain::OutboxKind::kEmail:
      action = "delivery.email_sent";
      d.set("message_id", ref);
      d.set("to", item.recipient);
      break;
    case domain::OutboxKind::kSmsRedact:
      action = "delivery.sms_redacted";
      d.set("sid", ref);
      break;
  }
  const bool ok = store_.RecordSent(item, name_, ref, Audit(item, action, "success", d));
  auto f = LogFields(item);
  f.set("provider_ref", ref);
  f.set("attempts", attempts);
  if (!known_from.empty()) f.set("found_by", std::string(known_from));
  if (ok)
    log::Info(
        item.kind == domain::OutboxKind::kSmsRedact ? "courier redacted an SMS" : "courier sent",
        f);
  else
    log::Warn("courier sent but lost its claim before recording it (the next claim looks it up)",
              f);
}

void Worker::Fail(const domain::OutboxItem& item, const std::string& code,
                  const std::string& message) {
  Poco::JSON::Object d;
  d.set("code", code);
  d.set("message", message);
  const char* action = item.kind == domain::OutboxKind::kSms     ? "delivery.sms_failed"
                       : item.kind == domain::OutboxKind::kEmail ? "delivery.email_failed"
                                                                 : "delivery.sms_redact_failed";
  const bool ok =
      store_.RecordFailure(item, name_, code, message, Audit(item, action, "failure", d));
  auto f = LogFields(item);
  f.set("code", code);
  f.set("error", message);
  if (ok) log::Warn("courier gave up on an outbox row", f);
}

void Worker::Retry(const domain::OutboxItem& item, const domain::SendResult& r, int attempts) {
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  auto delay =
      domain::RetryDelay(attempts, milliseconds(config_.courier.retry_base_ms),
                         milliseconds(config_.courier.retry_max_ms), jitter(rng_), r.retry_after);
  const bool unknown = r.outcome == domain::SendOutcome::kUnknown;
  const auto now = domain::SystemTime::clock::now();
  if (now + delay > item.deadline_at) {
    if (!unknown) {
      return Fail(item, r.error_code.empty() ? "deadline_exceeded" : r.error_code,
                  "gave up at the delivery deadline: " + r.error_message);
    }
    // One last look-up at the deadline decides whether it went out.
    if (item.deadline_at > now)
      delay = std::chrono::duration_cast<milliseconds>(item.deadline_at - now);
  }
  store_.RecordRetry(item, name_, delay, unknown, r.error_code, r.error_message);
  auto f = LogFields(item);
  f.set("attempts", attempts);
  f.set("outcome", std::string(domain::ToString(r.outcome)));
  f.set("code", r.error_code);
  f.set("error", r.error_message);
  if (r.http_status != 0) f.set("http_status", r.http_status);
  f.set("retry_in_ms", static_cast<int64_t>(delay.count()));
  log::Warn("courier will retry", f);
}

}  // namespace onboard::courier
