#include "secret_repository.hpp"

#include <Poco/JSON/Object.h>

#include <sstream>

#include "audit_store.hpp"
#include "client_repository.hpp"
#include "crypto.hpp"
#include "error.hpp"

namespace onboard::db {

namespace {

// Columns of select_delivery / lock_delivery, in order.
domain::Delivery DeliveryFromRow(const Result& r, int row) {
  auto s = [&](int col) { return r.Opt(row, col).value_or(""); };
  domain::Delivery d;
  d.id = s(0);
  d.client_id = s(1);
  d.secret_id = s(2);
  d.organisation = s(3);
  d.order_id = s(4);
  d.environment = s(5);
  d.channel = s(6);
  d.mobile = s(7);
  d.email = s(8);
  d.package_state = s(9);
  d.package_expires_at = s(10);
  d.package_destroyed_at = s(11);
  d.downloaded_at = s(12);
  d.downloaded_ip = s(13);
  d.download_attempts = static_cast<int>(r.Int(row, 14));
  d.email_state = s(15);
  d.email_sent_at = s(16);
  d.email_error = s(17);
  d.sms_state = s(18);
  d.sms_sid = s(19);
  d.sms_error_code = s(20);
  d.sms_error_message = s(21);
  d.sms_updated_at = s(22);
  d.sms_redacted_at = s(23);
  d.revoked_at = s(24);
  d.superseded_by = s(25);
  d.created_by = s(26);
  d.created_at = s(27);
  d.updated_at = s(28);
  return d;
}

std::string DetailJson(const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
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
  e.detail_json = DetailJson(detail);
  return e;
}

// Retires the delivery a reissue replaces. Its secret is revoked unless the delivery had
// reached its owner (then normal rotation with grace applies to it, like to any other).
void RetireSuperseded(Connection& conn, const domain::SecretIssuance& is) {
  Result r = conn.Exec("lock_delivery", {is.supersedes_delivery_id});
  if (r.rows() == 0) throw AppError(ErrorCode::kNotFound, "no such delivery");
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

std::string ByteaParam(std::string_view bytes) { return "\\x" + crypto::Hex(bytes); }

std::string ByteaValue(std::string_view text) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) {
    throw AppError(ErrorCode::kInternal, "internal error", "bytea column is not in hex format");
  }
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve((text.size() - 2) / 2);
  for (std::size_t i = 2; i < text.size(); i += 2) {
    const int hi = nibble(text[i]);
    const int lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0)
      throw AppError(ErrorCode::kInternal, "internal error", "bytea column is not hex");
    out.push_back(static_cast<char>((hi << 4) | lo));
  }
  return out;
}

void StoreIssuance(Connection& conn, const domain::SecretIssuance& is) {
  // Three statements in the common case: the client locked with the clock and its valid
  // secrets, the rotation's shortened expiries (usually none or one), and every write in
  // one (store_issuance.sql); they were eleven round trips, each costing the database
  // more than its work.
  Result locked = conn.Exec("lock_client_for_issuance", {is.client_id});
  if (locked.rows() == 0) throw AppError(ErrorCode::kNotFound, "no such client");
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

  const domain::SecretRecord& s = is.secret;
  Params values{is.client_id, s.secret_id, s.hash, s.prefix, std::to_string(s.expires_at_epoch),
                s.created_by};
  constexpr std::size_t kMessages = 2;  // store_issuance.sql's outbox rows: the SMS and the e-mail
  if (is.delivery && is.delivery->outbox.size() > kMessages) {
    throw AppError(ErrorCode::kInternal, "internal error",
                   "an issuance carries at most two outbox messages");
  }
  if (is.delivery) {
    const auto& d = *is.delivery;
    values.insert(
        values.end(),
        {d.id, d.organisation, NullIfEmpty(d.order_id), d.environment,
         std::string(domain::ToString(d.channel)), d.mobile, NullIfEmpty(d.email),
         NullIfEmpty(d.package_kek_id),
         d.package.empty() ? std::nullopt : std::optional<std::string>(ByteaParam(d.package)),
         std::to_string(d.package_expires_at_epoch),
         std::string(d.channel == domain::DeliveryChannel::kEmail ? "queued" : "not_applicable")});
  } else {
    values.resize(values.size() + 11);
  }
  for (std::size_t i = 0; i < kMessages; ++i) {
    if (is.delivery && i < is.delivery->outbox.size()) {
      const auto& m = is.delivery->outbox[i];
      values.insert(values.end(), {m.kind, m.recipient, m.payload_kek_id, ByteaParam(m.payload)});
    } else {
      values.resize(values.size() + 4);
    }
  }
  const Params audit = AuditQueueValues(is.audit);
  values.insert(values.end(), audit.begin(), audit.end());
  Result stored = conn.Exec("store_issuance", values);
  NoteQueuedAuditRow(stored.Int(0, 0));
  conn.NoteAuditQueued();

  if (is.delivery && !is.supersedes_delivery_id.empty()) {
    conn.Exec("retire_delivery", {is.supersedes_delivery_id, is.delivery->id});
  }
}

void SecretRepository::Issue(const domain::SecretIssuance& issuance) {
  Lease lease = pool_.Acquire();
  Tx tx(*lease);
  StoreIssuance(*lease, issuance);
  tx.Commit();
}

std::vector<domain::SecretInfo> SecretRepository::ListSecrets(const std::string& client_id) {
  std::vector<domain::SecretInfo> out;
  if (!IsUuid(client_id)) return out;
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("list_client_secrets", {client_id});
  for (int i = 0; i < r.rows(); ++i) {
    auto s = [&](int col) { return r.Opt(i, col).value_or(""); };
    domain::SecretInfo info;
    info.secret_id = s(0);
    info.prefix = s(1);
    info.created_at = s(2);
    info.expires_at = s(3);
    info.last_used_at = s(4);
    info.revoked_at = s(5);
    info.superseded_at = s(6);
    info.expired = r.Bool(i, 7);
    info.delivery_id = s(8);
    out.push_back(std::move(info));
  }
  return out;
}

bool SecretRepository::RevokeSecret(const std::string& client_id, const std::string& secret_id,
                                    const domain::AuditEvent& audit) {
  if (!IsUuid(client_id) || !IsUuid(secret_id)) return false;
  Lease lease = pool_.Acquire();
  Tx tx(*lease);
  Result r = lease->Exec("revoke_client_secret",
                         {client_id, secret_id, audit.actor.name, std::string("revoked")});
  if (r.rows() == 0) return false;
  // A package or password still on its way would now carry a dead secret: stop them.
  Result deliveries = lease->Exec("select_deliveries_of_secret", {secret_id});
  for (int i = 0; i < deliveries.rows(); ++i) {
    lease->Exec("cancel_delivery_outbox",
                {deliveries.Str(i, 0), std::string("the secret was revoked")});
    lease->Exec("retire_delivery", {deliveries.Str(i, 0), std::nullopt});
  }
  AppendAudit(*lease, audit);
  tx.Commit();
  return true;
}

std::optional<domain::Delivery> SecretRepository::FindDelivery(const std::string& delivery_id) {
  if (!IsUuid(delivery_id)) return std::nullopt;
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_delivery", {delivery_id});
  if (r.rows() == 0) return std::nullopt;
  domain::Delivery d = DeliveryFromRow(r, 0);
  Result t = lease->Exec("select_delivery_outbox", {delivery_id});
  for (int i = 0; i < t.rows(); ++i) {
    auto s = [&](int col) { return t.Opt(i, col).value_or(""); };
    d.transport.push_back({s(0), s(1), static_cast<int>(t.Int(i, 2)), s(3), s(4), s(5)});
  }
  return d;
}

std::vector<domain::Delivery> SecretRepository::ListDeliveries(const std::string& client_id) {
  std::vector<domain::Delivery> out;
  if (!IsUuid(client_id)) return out;
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("list_client_deliveries", {client_id});
  for (int i = 0; i < r.rows(); ++i) out.push_back(DeliveryFromRow(r, i));
  return out;
}

std::optional<domain::OrderContact> SecretRepository::FindOrderContact(
    const std::string& client_id) {
  if (!IsUuid(client_id)) return std::nullopt;
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_order_contact_for_client", {client_id});
  if (r.rows() == 0) return std::nullopt;
  return domain::OrderContact{r.Str(0, 0), r.Opt(0, 1).value_or(""), r.Opt(0, 2).value_or("")};
}

domain::DownloadResult SecretRepository::TakePackage(const std::string& delivery_id,
                                                     const std::string& ip,
                                                     const domain::AuditEvent& audit) {
  if (!IsUuid(delivery_id)) throw AppError(ErrorCode::kNotFound, "no such delivery");
  Lease lease = pool_.Acquire();
  Tx tx(*lease);
  Result r = lease->Exec("lock_delivery", {delivery_id});
  if (r.rows() == 0) throw AppError(ErrorCode::kNotFound, "no such delivery");
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
    lease->Exec("take_delivery_package", {d.id, ip});
    out.outcome = domain::DownloadOutcome::kDelivered;
    AppendAudit(*lease, DeliveryEvent(audit, d, "delivery.package_downloaded", "success", detail));
  } else if (stored) {
    lease->Exec("expire_delivery_package", {d.id});
    lease->Exec("count_delivery_download_attempt", {d.id});
    out.outcome = domain::DownloadOutcome::kExpired;
    detail.set("package_expires_at", d.package_expires_at);
    AppendAudit(*lease, DeliveryEvent(audit, d, "delivery.package_expired", "denied", detail));
  } else if (d.package_state == "downloaded") {
    // The package was fetched already: someone else may hold it. Raise the alarm.
    lease->Exec("count_delivery_download_attempt", {d.id});
    out.outcome = domain::DownloadOutcome::kAlreadyDownloaded;
    detail.set("downloaded_at", d.downloaded_at);
    detail.set("downloaded_ip", d.downloaded_ip);
    detail.set("attempt", d.download_attempts + 1);
    AppendAudit(*lease,
                DeliveryEvent(audit, d, "delivery.package_second_download", "alarm", detail));
  } else {
    lease->Exec("count_delivery_download_attempt", {d.id});
    out.outcome = domain::DownloadOutcome::kExpired;
    detail.set("package_state", d.package_state);
    AppendAudit(*lease, DeliveryEvent(audit, d, "delivery.package_unavailable", "denied", detail));
  }
  tx.Commit();
  return out;
}

int SecretRepository::SweepExpiredPackages(int limit) {
  Lease lease = pool_.Acquire();
  Tx tx(*lease);
  Result r = lease->Exec("sweep_expired_packages", {std::to_string(limit)});
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
    e.detail_json = DetailJson(detail);
    AppendAudit(*lease, e);
  }
  tx.Commit();
  return r.rows();
}

}  // namespace onboard::db
