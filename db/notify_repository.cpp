#include "notify_repository.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <functional>
#include <sstream>

#include "audit_export.hpp"
#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "uuid.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "values.hpp"
#include "audit_log_repository.hpp"
#include "json_text.hpp"
#include "repository.hpp"
#include "log.hpp"

namespace onboard::db {

namespace {

// Parses the text form of a text[] whose elements are plain words or quoted strings.
std::vector<std::string> ParseTextArray(std::string_view text) {
  std::vector<std::string> out;
  if (text.size() < 2) return out;
  text = text.substr(1, text.size() - 2);
  std::string item;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '\\' && i + 1 < text.size()) {
        item.push_back(text[++i]);
      } else if (c == '"') {
        quoted = false;
      } else {
        item.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      out.push_back(std::move(item));
      item.clear();
      any = false;
    } else {
      item.push_back(c);
      any = true;
    }
  }
  if (any || !item.empty()) out.push_back(std::move(item));
  return out;
}

int64_t EpochSeconds(domain::SysTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// Columns: id, organisation, client_id, email, mobile, language, kinds, version, created_by,
// created_at, updated_at.
domain::NotificationContact ContactFromRow(const Result& r, int i) {
  domain::NotificationContact c;
  ReadColumns(r, i, 0, c.id, c.organisation, c.client_id, c.email, c.mobile, c.language);
  c.kinds = ParseTextArray(r.Get(i, 6));
  ReadColumns(r, i, 7, c.version, c.created_by, c.created_at, c.updated_at);
  return c;
}

// Columns: id, organisation, url, events, description, state, disabled_reason, disabled_at,
// failing_since, created_by, created_at, updated_at, version.
domain::WebhookSubscription SubscriptionFromRow(const Result& r, int i) {
  domain::WebhookSubscription s;
  ReadColumns(r, i, 0, s.id, s.organisation, s.url);
  s.events = ParseTextArray(r.Get(i, 3));
  ReadColumns(r, i, 4, s.description, s.state, s.disabled_reason, s.disabled_at, s.failing_since,
              s.created_by, s.created_at, s.updated_at, s.version);
  return s;
}

// Columns of select_expiring_credentials.
domain::ExpiringCredential ExpiringFromRow(const Result& r, int i) {
  domain::ExpiringCredential c;
  ReadColumns(r, i, 0, c.kind, c.id, c.client_id, c.label, c.expires_at_s, c.client_name,
              c.environment, c.organisation, c.smallest_sent);
  return c;
}

// Queues an e-mail (and an SMS where the contact has a mobile and `sms` is set) per
// recipient; returns how many messages were queued.
int QueueMessages(Connection& conn, const std::vector<domain::NotificationContact>& recipients,
                  const std::string& purpose, const std::optional<std::string>& event_id,
                  const std::optional<std::string>& reminder_id, bool sms, int deadline_minutes,
                  const std::function<domain::RenderedMessage(const std::string&)>& render) {
  int queued = 0;
  for (const auto& c : recipients) {
    const domain::RenderedMessage m = render(c.language);
    conn.Exec("insert_notification_outbox", {"email", purpose, c.email, m.subject, m.text, event_id,
                                             reminder_id, std::to_string(deadline_minutes)});
    ++queued;
    if (sms && !c.mobile.empty() && !m.sms.empty()) {
      conn.Exec("insert_notification_outbox",
                {"sms", purpose, c.mobile, std::nullopt, m.sms, event_id, reminder_id,
                 std::to_string(deadline_minutes)});
      ++queued;
    }
  }
  return queued;
}

std::vector<domain::NotificationContact> ContactsOf(Connection& conn,
                                                    const std::string& organisation) {
  if (organisation.empty()) return {};
  return RowsOf(conn.Exec("list_all_notification_contacts", {organisation}), ContactFromRow);
}

}  // namespace

// ---- contacts --------------------------------------------------------------------------

domain::NotificationContact ContactRepository::Create(const domain::NotificationContact& c,
                                                      const domain::AuditEvent& audit) {
  return AuditedWrite(pool_, audit, [&](Connection& conn) {
    return ContactFromRow(
        conn.Exec("insert_notification_contact",
                  {c.id, c.organisation, NullIfEmpty(c.client_id), c.email, NullIfEmpty(c.mobile),
                   c.language, TextArrayLiteral(c.kinds), c.created_by}),
        0);
  });
}

std::optional<domain::NotificationContact> ContactRepository::Find(const std::string& id) {
  return FindRow(pool_, "select_notification_contact", {id}, ContactFromRow);
}

std::vector<domain::NotificationContact> ContactRepository::List(const std::string& organisation,
                                                                 const std::string& client_id) {
  return ListRows(pool_, "list_notification_contacts", {organisation, NullIfEmpty(client_id)},
                  ContactFromRow);
}

std::vector<domain::NotificationContact> ContactRepository::ListAll(
    const std::string& organisation) {
  Lease lease = pool_.Acquire();
  return ContactsOf(*lease, organisation);
}

domain::NotificationContact ContactRepository::Update(const domain::NotificationContact& c,
                                                      int expected_version,
                                                      const domain::AuditEvent& audit) {
  return AuditedWrite(pool_, audit, [&](Connection& conn) {
    Result r = conn.Exec("update_notification_contact",
                         {c.id, c.email, NullIfEmpty(c.mobile), c.language,
                          TextArrayLiteral(c.kinds), std::to_string(expected_version)});
    if (r.rows() == 0) {
      ThrowMissingOrStale(conn, "select_notification_contact", c.id, "no such notification contact",
                          "the notification contact was changed since you read it");
    }
    return ContactFromRow(r, 0);
  });
}

void ContactRepository::Delete(const std::string& id, const domain::AuditEvent& audit) {
  AuditedWrite(pool_, audit, [&](Connection& conn) {
    if (conn.Exec("delete_notification_contact", {id}).affected() != 1)
      throw AppError(ErrorCode::kNotFound, "no such notification contact");
  });
}

std::vector<domain::OrganisationWithoutContact> ContactRepository::OrganisationsWithoutContacts() {
  return ListRows(pool_, "report_organisations_without_contacts", {}, [](const Result& r, int row) {
    domain::OrganisationWithoutContact o;
    ReadColumns(r, row, 0, o.orgno, o.name, o.clients, o.created_at);
    return o;
  });
}

// ---- webhooks --------------------------------------------------------------------------

domain::WebhookSubscription WebhookRepository::Create(const domain::WebhookSubscription& s,
                                                      const std::string& kek_id,
                                                      const std::string& sealed_secret,
                                                      const domain::AuditEvent& audit) {
  return AuditedWrite(pool_, audit, [&](Connection& conn) {
    return SubscriptionFromRow(
        conn.Exec("insert_webhook_subscription",
                  {s.id, NullIfEmpty(s.organisation), s.url, TextArrayLiteral(s.events),
                   s.description, kek_id, crypto::Hex(sealed_secret), s.created_by}),
        0);
  });
}

std::optional<domain::WebhookSubscription> WebhookRepository::Find(const std::string& id) {
  return FindRow(pool_, "select_webhook_subscription", {id}, SubscriptionFromRow);
}

std::vector<domain::WebhookSubscription> WebhookRepository::List(const std::string& organisation) {
  return ListRows(pool_, "list_webhook_subscriptions", {NullIfEmpty(organisation)},
                  SubscriptionFromRow);
}

domain::WebhookSubscription WebhookRepository::Update(const domain::WebhookSubscription& s,
                                                      int expected_version,
                                                      const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  Result r = conn.Exec("update_webhook_subscription",
                       {s.id, s.url, TextArrayLiteral(s.events), s.description, s.state,
                        std::to_string(expected_version)});
  if (r.rows() == 0) {
    ThrowMissingOrStale(conn, "select_webhook_subscription", s.id, "no such webhook",
                        "the webhook was changed since you read it");
  }
  if (s.state != "active") conn.Exec("cancel_webhook_outbox", {s.id, "disabled"});
  unit.Record(audit);
  unit.Commit();
  return SubscriptionFromRow(r, 0);
}

void WebhookRepository::Delete(const std::string& id, const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  if (conn.Exec("delete_webhook_subscription", {id}).affected() != 1)
    throw AppError(ErrorCode::kNotFound, "no such webhook");
  conn.Exec("cancel_webhook_outbox", {id, "deleted"});
  unit.Record(audit);
  unit.Commit();
}

std::string WebhookRepository::QueueTest(const std::string& id,
                                         const domain::NotificationEvent& event,
                                         int deadline_minutes, const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  conn.Exec(
      "insert_notification_event",
      {event.id, event.type, std::to_string(event.occurred_at_us), NullIfEmpty(event.organisation),
       NullIfEmpty(event.client_id), json::Text(*event.data), std::nullopt});
  if (conn.Exec("insert_webhook_outbox_for_subscription",
                {id, event.id, domain::EventJson(event), std::to_string(deadline_minutes)})
          .affected() != 1)
    throw AppError(ErrorCode::kNotFound, "no such webhook");
  unit.Record(audit);
  unit.Commit();
  return event.id;
}

std::vector<domain::WebhookAttempt> WebhookRepository::Attempts(const std::string& id, int limit) {
  Lease lease = pool_.Acquire();
  return RowsOf(lease->Exec("list_webhook_attempts", {id, std::to_string(limit)}),
                [](const Result& r, int i) {
                  domain::WebhookAttempt a;
                  ReadColumns(r, i, 0, a.outbox_id, a.event_id, a.event_type, a.attempt, a.status,
                              a.latency_ms, a.error, a.attempted_at, a.delivery_state);
                  return a;
                });
}

// ---- dispatcher, reminders, digest -----------------------------------------------------

std::chrono::seconds TestClockRepository::Load() {
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_testing_clock");
  return std::chrono::seconds(r.rows() == 0 ? 0 : r.Int(0, 0));
}

void TestClockRepository::Save(std::chrono::seconds offset) {
  Lease lease = pool_.Acquire();
  lease->Exec("update_testing_clock", {std::to_string(offset.count())});
}

namespace {

// A dispatch round's events and their webhook deliveries, written with two statements for
// the whole round (arrays side by side) instead of two per event: on the registration path
// each registration's event cost the round two round trips and two executor starts.
class WebhookBatch {
 public:
  void Add(const domain::NotificationEvent& e, int64_t seq) {
    ids_.push_back(e.id);
    types_.push_back(e.type);
    occurred_.push_back(std::to_string(e.occurred_at_us));
    organisations_.push_back(e.organisation);
    clients_.push_back(e.client_id);
    data_.push_back(json::Text(*e.data));
    seqs_.push_back(std::to_string(seq));
    bodies_.push_back(domain::EventJson(e));
  }
  // Writes what was added since the last Write.
  void Write(Connection& conn, int deadline_minutes, int64_t now_us) {
    if (ids_.empty()) return;
    const std::string ids = TextArrayLiteral(ids_), types = TextArrayLiteral(types_),
                      occurred = TextArrayLiteral(occurred_),
                      organisations = TextArrayLiteral(organisations_);
    conn.Exec("insert_notification_events",
              {ids, types, occurred, organisations, TextArrayLiteral(clients_),
               TextArrayLiteral(data_), TextArrayLiteral(seqs_)});
    conn.Exec("insert_webhook_outbox_for_events",
              {ids, types, organisations, TextArrayLiteral(bodies_), occurred,
               std::to_string(deadline_minutes), std::to_string(now_us)});
    for (auto* v :
         {&ids_, &types_, &occurred_, &organisations_, &clients_, &data_, &seqs_, &bodies_})
      v->clear();
  }

 private:
  std::vector<std::string> ids_, types_, occurred_, organisations_, clients_, data_, seqs_, bodies_;
};

}  // namespace

int NotificationRepository::DispatchRound(int limit, domain::SysTime now) {
  Lease lease = pool_.Acquire();
  Connection& conn = *lease;
  Tx tx(conn);
  Result cursor = conn.Exec("lock_notification_cursor");
  if (cursor.rows() == 0) return -1;
  const int64_t from = cursor.Int(0, 0);
  Result events =
      conn.Exec("select_audit_events_after", {std::to_string(from), std::to_string(limit)});
  int64_t last = from;
  WebhookBatch batch;
  const int64_t now_us =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  for (int i = 0; i < events.rows(); ++i) {
    domain::SealedAuditEvent s;
    s.seq = events.Int(i, 0);
    s.occurred_at_us = events.Int(i, 1);
    s.event.actor.name = events.Str(i, 2);
    s.event.actor.role = events.Str(i, 3);
    s.event.organisation = events.Opt(i, 7).value_or("");
    s.event.action = events.Str(i, 8);
    s.event.target_type = events.Str(i, 9);
    s.event.target_id = events.Str(i, 10);
    s.event.outcome = events.Str(i, 11);
    s.event.detail_json = events.Str(i, 12);
    last = s.seq;

    domain::EventFacts facts;
    if (s.event.action == "client.secret_issue" || s.event.action == "client.key_remove") {
      Poco::JSON::Object::Ptr detail;
      try {
        detail = Poco::JSON::Parser().parse(s.event.detail_json).extract<Poco::JSON::Object::Ptr>();
      } catch (const std::exception&) {
      }
      if (detail && s.event.action == "client.secret_issue" && detail->has("secret_id")) {
        facts.secret_rotated =
            conn.Exec("select_secret_rotated",
                      {s.event.target_id, detail->getValue<std::string>("secret_id")})
                .Bool(0, 0);
      }
      if (detail && s.event.action == "client.key_remove" && detail->has("kid")) {
        Result k = conn.Exec("select_removed_key_kind",
                             {s.event.target_id, detail->getValue<std::string>("kid")});
        if (k.rows() > 0) facts.removed_key_kind = k.Str(0, 0);
      }
    }
    if (s.event.target_type == "production_order" && IsUuid(s.event.target_id)) {
      Result o = conn.Exec("select_order_test_client", {s.event.target_id});
      if (o.rows() > 0) facts.order_client_id = o.Str(0, 0);
    }
    std::optional<domain::NotificationEvent> e = domain::EventFromAudit(s, facts);
    if (!e) continue;
    e->id = crypto::NewUuid();
    batch.Add(*e, s.seq);
    if (e->critical && !e->client_id.empty()) {
      batch.Write(conn, deadlines_.webhook_minutes, now_us);  // the mails name the event
      Result client = conn.Exec("select_notification_client", {e->client_id});
      if (client.rows() == 0) continue;
      domain::MessageClient mc{client.Str(0, 0), client.Str(0, 1), client.Str(0, 2),
                               client.Str(0, 3)};
      const auto recipients =
          domain::RecipientsFor(ContactsOf(conn, mc.organisation), mc.client_id, "critical");
      QueueMessages(conn, recipients, "critical", e->id, std::nullopt, false,
                    deadlines_.mail_minutes,
                    [&](const std::string& lang) { return renderer_.Critical(*e, mc, lang); });
    }
  }
  batch.Write(conn, deadlines_.webhook_minutes, now_us);
  if (last != from) conn.Exec("advance_notification_cursor", {std::to_string(last)});
  tx.Commit();
  return events.rows();
}

std::vector<domain::ExpiringCredential> NotificationRepository::Expiring(domain::SysTime now,
                                                                         int max_days) {
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_expiring_credentials",
                         {std::to_string(EpochSeconds(now)), std::to_string(max_days)});
  return RowsOf(r, ExpiringFromRow);
}

bool NotificationRepository::RecordReminder(const domain::ExpiringCredential& c, int threshold_days,
                                            domain::SysTime now, domain::AuditEvent audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  const auto recipients =
      domain::RecipientsFor(ContactsOf(conn, c.organisation), c.client_id, "expiry");
  Result inserted =
      conn.Exec("insert_expiry_reminder",
                {c.kind, c.id, std::to_string(threshold_days), c.client_id, c.organisation,
                 std::to_string(c.expires_at_s), std::to_string(EpochSeconds(now)),
                 std::to_string(recipients.size())});
  if (inserted.rows() == 0) return false;  // another instance (or round) sent it
  const std::string reminder_id = inserted.Str(0, 0);
  QueueMessages(
      conn, recipients, "reminder", std::nullopt, reminder_id, true, deadlines_.mail_minutes,
      [&](const std::string& lang) { return renderer_.Reminder(c, threshold_days, lang); });
  Poco::JSON::Object detail;
  detail.set("credential_kind", c.kind);
  detail.set("credential_id", c.id);
  detail.set("label", c.label);
  detail.set("environment", c.environment);
  detail.set("threshold_days", threshold_days);
  detail.set("expires_at", domain::Rfc3339FromMicros(c.expires_at_s * 1000000));
  detail.set("recipients", static_cast<int>(recipients.size()));
  detail.set("reminder_id", reminder_id);
  audit.detail_json = json::Text(detail);
  unit.Record(audit);
  unit.Commit();
  return true;
}

bool NotificationRepository::QueueDigest(const std::string& day, const std::string& to,
                                         domain::SysTime now, int within_days) {
  Lease lease = pool_.Acquire();
  Connection& conn = *lease;
  Tx tx(conn);
  if (conn.Exec("claim_operator_digest", {day}).rows() == 0) return false;
  const std::vector<domain::ExpiringCredential> expiring =
      RowsOf(conn.Exec("select_expiring_credentials",
                       {std::to_string(EpochSeconds(now)), std::to_string(within_days)}),
             ExpiringFromRow);
  const std::vector<domain::UndeliveredReminder> undelivered =
      RowsOf(conn.Exec("select_undelivered_reminders", {"30"}), [](const Result& r, int i) {
        domain::UndeliveredReminder u;
        domain::ExpiringCredential& c = u.credential;
        ReadColumns(r, i, 0, c.kind, c.id, u.threshold_days, c.client_id, c.organisation,
                    c.expires_at_s, u.recipients, u.errors);
        return u;
      });
  const domain::RenderedMessage m = renderer_.Digest(day, expiring, undelivered);
  conn.Exec("insert_notification_outbox", {"email", "digest", to, m.subject, m.text, std::nullopt,
                                           std::nullopt, std::to_string(deadlines_.mail_minutes)});
  tx.Commit();
  return true;
}

// ---- courier ---------------------------------------------------------------------------

std::vector<NotificationItem> NotificationOutboxRepository::Claim(
    const std::string& worker, int limit, std::chrono::milliseconds lease_ms) {
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("claim_notification_outbox",
                         {worker, std::to_string(limit), MillisText(lease_ms)});
  std::vector<NotificationItem> out = RowsOf(r, [](const Result& row_of, int i) {
    NotificationItem item;
    ReadColumns(row_of, i, 0, item.id, item.kind, item.purpose, item.recipient, item.subject,
                item.body, item.subscription_id, item.event_id, item.attempts, item.deadline_at,
                item.attempt_started_at);
    return item;
  });
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

bool NotificationOutboxRepository::BeginAttempt(const NotificationItem& item,
                                                const std::string& worker,
                                                std::chrono::milliseconds lease_ms) {
  Lease lease = pool_.Acquire();
  return lease
             ->Exec("begin_notification_attempt",
                    {std::to_string(item.id), worker, MillisText(lease_ms)})
             .affected() == 1;
}

bool NotificationOutboxRepository::Release(const NotificationItem& item,
                                           const std::string& worker) {
  Lease lease = pool_.Acquire();
  return lease->Exec("release_notification_outbox", {std::to_string(item.id), worker}).affected() ==
         1;
}

std::optional<WebhookForDelivery> NotificationOutboxRepository::Webhook(
    const std::string& subscription_id) {
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_webhook_for_delivery", {subscription_id});
  if (r.rows() == 0) return std::nullopt;
  WebhookForDelivery w;
  ReadColumns(r, 0, 0, w.state, w.kek_id);
  w.sealed_secret = FromHex(r.Get(0, 2));
  ReadColumns(r, 0, 3, w.organisation, w.url, w.failing_since);
  return w;
}

namespace {
std::optional<std::string> StatusParam(int status) {
  return status == 0 ? std::nullopt : std::optional<std::string>(std::to_string(status));
}
}  // namespace

bool NotificationOutboxRepository::RecordSent(const NotificationItem& item,
                                              const std::string& worker,
                                              const std::string& provider_ref, int status) {
  Lease lease = pool_.Acquire();
  return lease
             ->Exec(
                 "complete_notification_outbox",
                 {std::to_string(item.id), worker, NullIfEmpty(provider_ref), StatusParam(status)})
             .affected() == 1;
}

bool NotificationOutboxRepository::RecordFailure(const NotificationItem& item,
                                                 const std::string& worker, const std::string& code,
                                                 const std::string& message, int status) {
  Lease lease = pool_.Acquire();
  return lease
             ->Exec("fail_notification_outbox",
                    {std::to_string(item.id), worker, code, message, StatusParam(status)})
             .affected() == 1;
}

bool NotificationOutboxRepository::RecordRetry(const NotificationItem& item,
                                               const std::string& worker,
                                               std::chrono::milliseconds delay,
                                               bool outcome_unknown, const std::string& code,
                                               const std::string& message, int status) {
  Lease lease = pool_.Acquire();
  return lease
             ->Exec("retry_notification_outbox",
                    {std::to_string(item.id), worker, MillisText(delay),
                     outcome_unknown ? "true" : "false", NullIfEmpty(code), NullIfEmpty(message),
                     StatusParam(status)})
             .affected() == 1;
}

std::optional<domain::SystemTime> NotificationOutboxRepository::MarkFailing(
    const std::string& subscription_id, domain::SystemTime now) {
  Lease lease = pool_.Acquire();
  Result r = lease->Exec(
      "mark_webhook_failing",
      {subscription_id,
       std::to_string(
           std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count())});
  if (r.rows() == 0 || r.IsNull(0, 0)) return std::nullopt;
  return FromMicros(r.Int(0, 0));
}

bool NotificationOutboxRepository::RecordWebhook(const NotificationItem& item,
                                                 const std::string& worker, const WebhookOutcome& o,
                                                 const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  const std::string id = std::to_string(item.id);
  const std::optional<std::string> status =
      o.status ? std::optional<std::string>(std::to_string(*o.status)) : std::nullopt;
  const std::string message = o.error;
  std::size_t affected = 0;
  if (o.success) {
    affected =
        conn.Exec("complete_notification_outbox", {id, worker, std::nullopt, status}).affected();
    conn.Exec("mark_webhook_healthy", {item.subscription_id});
  } else if (o.retry_delay && o.disable_reason.empty() && !o.give_up) {
    affected = conn.Exec("retry_notification_outbox",
                         {id, worker, MillisText(*o.retry_delay), "false",
                          NullIfEmpty(o.error_code), NullIfEmpty(message), status})
                   .affected();
  } else {
    affected =
        conn.Exec("fail_notification_outbox",
                  {id, worker, o.error_code.empty() ? "failed" : o.error_code, message, status})
            .affected();
  }
  if (affected != 1) return false;  // the claim was lost: another courier owns the row now
  conn.Exec("insert_webhook_attempt",
            {item.subscription_id, id, item.event_id, std::to_string(item.attempts + 1), status,
             std::to_string(o.latency_ms), NullIfEmpty(o.error)});
  if (!o.disable_reason.empty()) {
    Result d = conn.Exec("disable_webhook_subscription", {item.subscription_id, o.disable_reason});
    if (d.rows() == 1) {
      conn.Exec("cancel_webhook_outbox", {item.subscription_id, "disabled"});
      const std::string organisation = d.Opt(0, 0).value_or("");
      const std::string url = d.Str(0, 1);
      std::vector<domain::NotificationContact> owners;
      for (const auto& c : ContactsOf(conn, organisation))
        if (c.client_id.empty() && c.Wants("webhook")) owners.push_back(c);
      if (owners.empty() && !operator_email_.empty()) {
        domain::NotificationContact team;
        team.email = operator_email_;
        team.language = "en";
        owners.push_back(team);
      }
      if (renderer_ != nullptr) {
        QueueMessages(conn, owners, "webhook_disabled", std::nullopt, std::nullopt, false, 1440,
                      [&](const std::string& lang) {
                        return renderer_->WebhookDisabled(item.subscription_id, url,
                                                          o.disable_reason, lang);
                      });
      }
      domain::AuditEvent e = audit;
      e.organisation = organisation;
      unit.Record(e);
    }
  }
  unit.Commit();
  return true;
}

}  // namespace onboard::db
