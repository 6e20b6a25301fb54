#include "notify_worker.hpp"

#include "error.hpp"
#include "log.hpp"
#include "notification.hpp"
#include "notify_usecases.hpp"

namespace onboard::courier {

using std::chrono::milliseconds;

NotifyWorker::NotifyWorker(const AppConfig& config, db::NotificationOutboxRepository& store,
                           const crypto::KeyRing& keys, std::string name,
                           domain::OffsetClock& clock, domain::ClockOffsetStore* shared_offset)
    : ClaimingWorker(std::move(name), "notification", config.courier),
      config_(config),
      store_(store),
      keys_(keys),
      clock_(clock),
      shared_offset_(shared_offset),
      sms_(config.sms),
      smtp_(config.smtp),
      webhooks_(config.webhooks),
      rng_(std::random_device{}()) {}

int NotifyWorker::RunOnce(StopSignal& stop) {
  if (shared_offset_ != nullptr) clock_.SetOffset(shared_offset_->Load());
  return ClaimRound(
      store_, name_, config_.courier, stop, [this](const auto& item) { Process(item); },
      [this](const auto& item) { return LogFields(item); },
      "courier could not process a notification");
}

Poco::JSON::Object NotifyWorker::LogFields(const db::NotificationItem& item) const {
  Poco::JSON::Object f;
  f.set("worker", name_);
  f.set("notification_id", item.id);
  f.set("kind", item.kind);
  f.set("purpose", item.purpose);
  if (item.kind == "sms")
    f.set("to", log::MaskPhone(item.recipient));
  else if (item.kind == "email")
    f.set("to", item.recipient);
  else
    f.set("subscription_id", item.subscription_id);
  return f;
}

void NotifyWorker::Process(const db::NotificationItem& item) {
  if (item.kind == "email") return ProcessEmail(item);
  if (item.kind == "sms") return ProcessSms(item);
  if (item.kind == "webhook") return ProcessWebhook(item);
  store_.RecordFailure(item, name_, "unknown_kind", "unknown notification kind", 0);
}

milliseconds NotifyWorker::Backoff(int attempts, milliseconds base, milliseconds max,
                                   std::optional<milliseconds> retry_after) {
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  return domain::RetryDelay(attempts, base, max, jitter(rng_), retry_after);
}

void NotifyWorker::Retry(const db::NotificationItem& item, const domain::SendResult& r,
                         int attempts) {
  const auto delay = Backoff(attempts, milliseconds(config_.courier.retry_base_ms),
                             milliseconds(config_.courier.retry_max_ms), r.retry_after);
  const auto now = domain::SystemTime::clock::now();
  if (now + delay > item.deadline_at && r.outcome != domain::SendOutcome::kUnknown) {
    store_.RecordFailure(item, name_, r.error_code.empty() ? "deadline_exceeded" : r.error_code,
                         "gave up at the deadline: " + r.error_message, r.http_status);
    log::Warn("courier gave up on a notification", LogFields(item));
    return;
  }
  store_.RecordRetry(item, name_, delay, r.outcome == domain::SendOutcome::kUnknown, r.error_code,
                     r.error_message, r.http_status);
  auto f = LogFields(item);
  f.set("attempts", attempts);
  f.set("code", r.error_code);
  f.set("retry_in_ms", static_cast<int64_t>(delay.count()));
  log::Warn("courier will retry a notification", f);
}

void NotifyWorker::ProcessEmail(const db::NotificationItem& item) {
  if (config_.smtp.host.empty()) {
    domain::SendResult r;
    r.error_code = "smtp_not_configured";
    r.error_message = "smtp.host is not configured";
    return Retry(item, r, item.attempts + 1);
  }
  if (domain::SystemTime::clock::now() >= item.deadline_at) {
    store_.RecordFailure(item, name_, "deadline_exceeded", "not sent before the deadline", 0);
    return;
  }
  MailItem mail;
  mail.to = item.recipient;
  mail.subject = item.subject;
  mail.text = crypto::SecretString(item.body);
  mail.message_id = "<notify-" + std::to_string(item.id) + "@onboard>";
  if (!store_.BeginAttempt(item, name_, milliseconds(config_.courier.lease_ms))) return;
  const domain::SendResult r = smtp_.Send(mail);
  if (r.outcome == domain::SendOutcome::kAccepted) {
    store_.RecordSent(item, name_, mail.message_id, 0);
    log::Info("courier sent a notification", LogFields(item));
  } else if (r.outcome == domain::SendOutcome::kPermanent) {
    store_.RecordFailure(item, name_, r.error_code, r.error_message, 0);
  } else {
    domain::SendResult retry = r;
    retry.outcome = domain::SendOutcome::kRetryable;  // a repeated reminder is harmless
    Retry(item, retry, item.attempts + 1);
  }
}

void NotifyWorker::ProcessSms(const db::NotificationItem& item) {
  const crypto::SecretString body(item.body);
  if (item.attempt_started_at) {
    // An earlier attempt may have reached the provider: look before sending again.
    const auto found =
        sms_.FindSent(item.recipient, body, *item.attempt_started_at - std::chrono::minutes(2));
    if (found.outcome == LookupResult::Outcome::kFound) {
      store_.RecordSent(item, name_, found.sid, 0);
      return;
    }
    if (found.outcome == LookupResult::Outcome::kFailed) {
      domain::SendResult r = found.failure;
      r.outcome = domain::SendOutcome::kUnknown;
      return Retry(item, r, item.attempts);
    }
  }
  if (domain::SystemTime::clock::now() >= item.deadline_at) {
    store_.RecordFailure(item, name_, "deadline_exceeded", "not sent before the deadline", 0);
    return;
  }
  if (!store_.BeginAttempt(item, name_, milliseconds(config_.courier.lease_ms))) return;
  const domain::SendResult r = sms_.Send(item.recipient, body, "");
  switch (r.outcome) {
    case domain::SendOutcome::kAccepted:
      store_.RecordSent(item, name_, r.provider_ref, 0);
      log::Info("courier sent a notification", LogFields(item));
      return;
    case domain::SendOutcome::kPermanent:
      store_.RecordFailure(item, name_, r.error_code, r.error_message, r.http_status);
      return;
    case domain::SendOutcome::kRetryable:
    case domain::SendOutcome::kUnknown:
      return Retry(item, r, item.attempts + 1);
  }
}

void NotifyWorker::ProcessWebhook(const db::NotificationItem& item) {
  const auto sub = store_.Webhook(item.subscription_id);
  if (!sub || sub->state != "active") {
    store_.RecordFailure(item, name_, "subscription_inactive",
                         "the subscription is disabled or deleted", 0);
    return;
  }
  std::string secret =
      keys_.Open(sub->kek_id, sub->sealed_secret, notify::WebhookSecretAad(item.subscription_id))
          .reveal();
  const int64_t timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
  const std::string signature =
      domain::WebhookSignature(secret, item.event_id, timestamp, item.body);
  crypto::Cleanse(secret);
  if (!store_.BeginAttempt(item, name_, milliseconds(config_.courier.lease_ms))) return;
  // The URL stored with the delivery is the subscription's at the time; a changed URL
  // applies from the next event on.
  const WebhookResult r = webhooks_.Post(sub->url, item.body, item.event_id, timestamp, signature);

  db::NotificationOutboxRepository::WebhookOutcome o;
  o.status = r.status;
  o.latency_ms = r.latency_ms;
  o.error_code = r.error_code;
  o.error = r.error;
  const int attempts = item.attempts + 1;
  // The retry window (the row's deadline) and the failure window that disables the
  // subscription are judged by the notifications' clock, which a test may move.
  const auto now = clock_.Now();
  if (r.status && *r.status >= 200 && *r.status < 300) {
    o.success = true;
  } else if (r.status && *r.status == 410) {
    o.error_code = "gone";
    o.disable_reason = "gone";
  } else if (r.refused) {
    o.give_up = true;
  } else {
    if (r.status) o.error_code = "http_" + std::to_string(*r.status);
    const auto failing_since = store_.MarkFailing(item.subscription_id, now);
    if (failing_since &&
        now - *failing_since >= std::chrono::seconds(config_.webhooks.disable_after_s)) {
      o.disable_reason = "failing";
    } else {
      const auto delay = Backoff(attempts, milliseconds(config_.webhooks.retry_base_ms),
                                 milliseconds(config_.webhooks.retry_max_ms));
      if (now + delay > item.deadline_at)
        o.give_up = true;
      else
        o.retry_delay = delay;
    }
  }
  domain::AuditEvent audit;
  audit.actor.name = "onboard-courier";
  audit.actor.role = "system";
  audit.actor.request_id = "notification-" + std::to_string(item.id);
  audit.action = "webhook.disable";
  audit.target_type = "webhook";
  audit.target_id = item.subscription_id;
  {
    Poco::JSON::Object d;
    d.set("reason", o.disable_reason);
    d.set("last_status", r.status ? Poco::Dynamic::Var(*r.status) : Poco::Dynamic::Var());
    std::ostringstream text;
    d.stringify(text);
    audit.detail_json = text.str();
  }
  store_.RecordWebhook(item, name_, o, audit);
  auto f = LogFields(item);
  f.set("attempts", attempts);
  f.set("latency_ms", r.latency_ms);
  if (r.status) f.set("status", *r.status);
  if (!r.error_code.empty()) f.set("code", r.error_code);
  if (o.success)
    log::Info("courier delivered a webhook", f);
  else
    log::Warn(o.disable_reason.empty() ? "webhook delivery failed" : "webhook disabled", f);
}

}  // namespace onboard::courier
