#include "secret_repository.hpp"

#include <Poco/JSON/Object.h>

#include <sstream>

#include "audit_store.hpp"
#include "json_input.hpp"
#include "pg_unit_of_work.hpp"
#include "client_repository.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "json_text.hpp"
#include "repository.hpp"
#include "values.hpp"

namespace onboard::db {

namespace {

// Columns of select_delivery / lock_delivery, in order.
domain::Delivery DeliveryFromRow(const Result& r, int row) {
  domain::Delivery d;
  ReadColumns(r, row, 0, d.id, d.client_id, d.secret_id, d.organisation, d.order_id, d.environment,
              d.channel, d.mobile, d.email, d.package_state, d.package_expires_at,
              d.package_destroyed_at, d.downloaded_at, d.downloaded_ip, d.download_attempts,
              d.email_state, d.email_sent_at, d.email_error, d.sms_state, d.sms_sid,
              d.sms_error_code, d.sms_error_message, d.sms_updated_at, d.sms_redacted_at,
              d.revoked_at, d.superseded_by, d.created_by, d.created_at, d.updated_at);
  return d;
}

domain::AuditEvent DeliveryEvent(const domain::AuditEvent& base, const domain::Delivery& d,
                                 std::string action, std::string outcome,
                                 Poco::JSON::Object detail) {
  domain::AuditEvent e = base;
  e.action = std::move(action);
  e.target_type = "delivery";
  e.target_id = d.id;
  e.organisation = d.organisation;
  e.outcome = std::move(outcome);
  detail.set("client_id", d.client_id);
  detail.set("secret_id", d.secret_id);
  e.detail_json = json::Text(detail);
  return e;
}

// Retires the delivery a reissue replaces. Its secret is revoked unless the delivery had
// reached its owner (then normal rotation with grace applies to it, like to any other).
void RetireSuperseded(Connection& conn, const domain::SecretIssuance& is) {
  Result r =
      ExecExpectingRow(conn, "lock_delivery", {is.supersedes_delivery_id}, "no such delivery");
  const domain::Delivery old = DeliveryFromRow(r, 0);
  if (!old.superseded_by.empty()) {
    throw AppError(ErrorCode::kConflict, "the delivery was already reissued", "", {},
                   "already_reissued");
  }
  if (old.client_id != is.client_id)
    throw AppError(ErrorCode::kInternal, "internal error", "reissue for another client");
  if (!domain::DeliveryCompleted(old)) {
    conn.Exec("revoke_client_secret",
              {old.client_id, old.secret_id, is.audit.actor.name, std::string("reissued")});
  }
  conn.Exec("cancel_delivery_outbox", {old.id, std::string("superseded by a reissue")});
}

}  // namespace

std::string ByteaValue(std::string_view text) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) {
    throw AppError(ErrorCode::kInternal, "internal error", "bytea column is not in hex format");
  }
  return FromHex(text.substr(2));
}

namespace {

// store_issuance's one input (see its header for the members).
std::string IssuanceInput(const domain::SecretIssuance& is) {
  const domain::SecretRecord& s = is.secret;
  JsonInput in;
  in.Str("client_id", is.client_id);
  in.Open("secret")
      .Str("id", s.secret_id)
      .Str("hash", s.hash)
      .Str("prefix", s.prefix)
      .Int("expires_at", s.expires_at_epoch)
      .Str("created_by", s.created_by)
      .Close();
  if (is.delivery) {
    const auto& d = *is.delivery;
    in.Open("delivery")
        .Str("id", d.id)
        .Str("organisation", d.organisation)
        .OptStr("order_id", d.order_id)
        .Str("environment", d.environment)
        .Str("channel", domain::ToString(d.channel))
        .Str("mobile", d.mobile)
        .OptStr("email", d.email)
        .OptStr("package_kek_id", d.package_kek_id)
        .OptStr("package", d.package.empty() ? std::string() : crypto::Hex(d.package))
        .Int("package_expires_at", d.package_expires_at_epoch)
        .Str("email_state",
             d.channel == domain::DeliveryChannel::kEmail ? "queued" : "not_applicable");
    in.OpenArray("messages");
    for (const auto& m : d.outbox) {
      in.Open("")
          .Str("kind", m.kind)
          .Str("recipient", m.recipient)
          .Str("kek_id", m.payload_kek_id)
          .Str("payload", crypto::Hex(m.payload))
          .Close();
    }
    in.CloseArray().Close();
  }
  AppendAuditEventInput(in, "event", is.audit);
  return std::move(in).Take();
}

}  // namespace

void StoreIssuance(PgUnitOfWork& unit, const domain::SecretIssuance& is) {
  // Three statements in the common case: the client locked with the clock and its valid
  // secrets, the rotation's shortened expiries (usually none or one), and every write in
  // one (store_issuance.sql, its inputs named in one jsonb argument); they were eleven
  // round trips, each costing the database more than its work.
  Connection& conn = unit.Tx();
  Result locked =
      ExecExpectingRow(conn, "lock_client_for_issuance", {is.client_id}, "no such client");
  if (!is.supersedes_delivery_id.empty()) {
    RetireSuperseded(conn, is);  // may revoke the superseded delivery's secret: read them again
    locked = conn.Exec("lock_client_for_issuance", {is.client_id});
  }

  // Rotation: every valid secret becomes an old one with at most the grace period left.
  std::vector<domain::ValidSecret> current;
  for (int i = 0; i < locked.rows(); ++i) {
    if (!locked.IsNull(i, 1)) current.push_back({locked.Str(i, 1), locked.Int(i, 2)});
  }
  // The database clock, the one validity (expires_at > now()) is checked against.
  for (const auto& change :
       domain::PlanRotation(current, locked.Int(0, 0), is.grace_days, is.max_old)) {
    conn.Exec("shorten_client_secret", {change.secret_id, std::to_string(change.expires_at_epoch)});
  }

  // The statement queues the issuance's event itself; the unit seals that row on commit.
  Result stored = conn.Exec("store_issuance", {IssuanceInput(is)});
  unit.Queued(stored.Int(0, 0));

  if (is.delivery && !is.supersedes_delivery_id.empty()) {
    conn.Exec("retire_delivery", {is.supersedes_delivery_id, is.delivery->id});
  }
}

void SecretRepository::Issue(domain::UnitOfWork& unit, const domain::SecretIssuance& issuance) {
  StoreIssuance(PgUnitOfWork::Of(unit), issuance);
}

void SecretRepository::Issue(const domain::SecretIssuance& issuance) {
  PgUnitOfWork unit(pool_);
  Issue(unit, issuance);
  unit.Commit();
}

std::vector<domain::SecretInfo> SecretRepository::ListSecrets(const std::string& client_id) {
  if (!IsUuid(client_id)) return {};
  return ListRows(pool_, "list_client_secrets", {client_id}, [](const Result& r, int row) {
    domain::SecretInfo info;
    ReadColumns(r, row, 0, info.secret_id, info.prefix, info.created_at, info.expires_at,
                info.last_used_at, info.revoked_at, info.superseded_at, info.expired,
                info.delivery_id);
    return info;
  });
}

bool SecretRepository::RevokeSecret(domain::UnitOfWork& u, const std::string& client_id,
                                    const std::string& secret_id, const domain::AuditEvent& audit) {
  if (!IsUuid(client_id) || !IsUuid(secret_id)) return false;
  PgUnitOfWork& unit = PgUnitOfWork::Of(u);
  Connection& conn = unit.Tx();
  Result r = conn.Exec("revoke_client_secret",
                       {client_id, secret_id, audit.actor.name, std::string("revoked")});
  if (r.rows() == 0) return false;
  // A package or password still on its way would now carry a dead secret: stop them.
  Result deliveries = conn.Exec("select_deliveries_of_secret", {secret_id});
  for (int i = 0; i < deliveries.rows(); ++i) {
    conn.Exec("cancel_delivery_outbox",
              {deliveries.Str(i, 0), std::string("the secret was revoked")});
    conn.Exec("retire_delivery", {deliveries.Str(i, 0), std::nullopt});
  }
  unit.Record(audit);
  return true;
}

std::optional<domain::Delivery> SecretRepository::FindDelivery(const std::string& delivery_id) {
  if (!IsUuid(delivery_id)) return std::nullopt;
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_delivery", {delivery_id});
  if (r.rows() == 0) return std::nullopt;
  domain::Delivery d = DeliveryFromRow(r, 0);
  d.transport =
      RowsOf(lease->Exec("select_delivery_outbox", {delivery_id}), [](const Result& t, int row) {
        domain::DeliveryTransport step;
        ReadColumns(t, row, 0, step.kind, step.state, step.attempts, step.last_error_code,
                    step.last_error_message, step.next_attempt_at);
        return step;
      });
  return d;
}

std::vector<domain::Delivery> SecretRepository::ListDeliveries(const std::string& client_id) {
  if (!IsUuid(client_id)) return {};
  return ListRows(pool_, "list_client_deliveries", {client_id}, DeliveryFromRow);
}

std::optional<domain::OrderContact> SecretRepository::FindOrderContact(
    const std::string& client_id) {
  if (!IsUuid(client_id)) return std::nullopt;
  return FindRow(pool_, "select_order_contact_for_client", {client_id},
                 [](const Result& r, int row) {
                   domain::OrderContact c;
                   ReadColumns(r, row, 0, c.order_id, c.mobile, c.email);
                   return c;
                 });
}

domain::DownloadResult SecretRepository::TakePackage(const std::string& delivery_id,
                                                     const std::string& ip,
                                                     const domain::AuditEvent& audit) {
  if (!IsUuid(delivery_id)) throw AppError(ErrorCode::kNotFound, "no such delivery");
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  Result r = ExecExpectingRow(conn, "lock_delivery", {delivery_id}, "no such delivery");
  const domain::Delivery d = DeliveryFromRow(r, 0);
  domain::DownloadResult out;
  Poco::JSON::Object detail;
  detail.set("ip", ip);
  if (d.channel != "download") {
    out.outcome = domain::DownloadOutcome::kNotDownloadable;
    return out;  // nothing written: the package travels by e-mail
  }
  const bool stored = !r.IsNull(0, 30);
  const bool expired = r.Bool(0, 31);
  if (stored && !expired) {
    const std::string sealed = ByteaValue(r.Get(0, 30));
    out.zip = keys_.Open(r.Str(0, 29), sealed, crypto::PackageAad(d.id));
    conn.Exec("take_delivery_package", {d.id, ip});
    out.outcome = domain::DownloadOutcome::kDelivered;
    unit.Record(DeliveryEvent(audit, d, "delivery.package_downloaded", "success", detail));
  } else if (stored) {
    conn.Exec("expire_delivery_package", {d.id});
    conn.Exec("count_delivery_download_attempt", {d.id});
    out.outcome = domain::DownloadOutcome::kExpired;
    detail.set("package_expires_at", d.package_expires_at);
    unit.Record(DeliveryEvent(audit, d, "delivery.package_expired", "denied", detail));
  } else if (d.package_state == "downloaded") {
    // The package was fetched already: someone else may hold it. Raise the alarm.
    conn.Exec("count_delivery_download_attempt", {d.id});
    out.outcome = domain::DownloadOutcome::kAlreadyDownloaded;
    detail.set("downloaded_at", d.downloaded_at);
    detail.set("downloaded_ip", d.downloaded_ip);
    detail.set("attempt", d.download_attempts + 1);
    unit.Record(DeliveryEvent(audit, d, "delivery.package_second_download", "alarm", detail));
  } else {
    conn.Exec("count_delivery_download_attempt", {d.id});
    out.outcome = domain::DownloadOutcome::kExpired;
    detail.set("package_state", d.package_state);
    unit.Record(DeliveryEvent(audit, d, "delivery.package_unavailable", "denied", detail));
  }
  unit.Commit();
  return out;
}

int SecretRepository::SweepExpiredPackages(int limit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  Result r = conn.Exec("sweep_expired_packages", {std::to_string(limit)});
  for (int i = 0; i < r.rows(); ++i) {
    domain::AuditEvent e;
    e.actor = {"system", "system", "", "", ""};
    e.action = "delivery.package_expired";
    e.target_type = "delivery";
    e.target_id = r.Str(i, 0);
    e.organisation = r.Str(i, 1);
    Poco::JSON::Object detail;
    detail.set("client_id", r.Str(i, 2));
    detail.set("reason", "package_ttl");
    e.detail_json = json::Text(detail);
    unit.Record(e);
  }
  unit.Commit();
  return r.rows();
}

}  // namespace onboard::db
