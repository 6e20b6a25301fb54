#include "client_repository.hpp"

#include "audit_log_repository.hpp"
#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "crypto.hpp"
#include "error.hpp"

namespace onboard::db {

namespace {

// Columns: client_id, environment, state, version, registration_channel, created_by,
// created_at, updated_at, metadata
domain::Client ClientFromRow(const Result& r, int row) {
  domain::Client c;
  c.client_id = r.Str(row, 0);
  c.environment = domain::EnvironmentFromString(r.Get(row, 1)).value_or(domain::Environment::kTest);
  c.state =
      domain::ClientStateFromString(r.Get(row, 2)).value_or(domain::ClientState::kDeactivated);
  c.version = static_cast<int>(r.Int(row, 3));
  c.registration_channel = r.Str(row, 4);
  c.created_by = r.Str(row, 5);
  c.created_at = r.Str(row, 6);
  c.updated_at = r.Str(row, 7);
  c.metadata_json = r.Str(row, 8);
  c.organisation = r.Str(row, 9);
  return c;
}

void InsertHistory(Connection& conn, const domain::Client& c, const domain::ClientWrite& w) {
  const auto& a = w.audit.actor;
  conn.Exec("insert_client_history",
            {c.client_id, std::to_string(c.version), w.change, a.name, a.role,
             NullIfEmpty(a.portal_user), NullIfEmpty(a.request_id),
             std::string(domain::ToString(c.state)), c.metadata_json, w.diff_json});
}

// Revocation first, so a write that both revokes and issues keeps the new secret.
void RetireCredentials(Connection& conn, const std::string& client_id,
                       const domain::ClientWrite& w) {
  if (w.revoke_secrets) {
    conn.Exec("revoke_client_secrets", {client_id});
    // A package or password still waiting to go out would carry a dead secret: stop it.
    conn.Exec("cancel_client_delivery_outbox", {client_id});
    conn.Exec("retire_client_deliveries", {client_id});
  }
  if (w.retire_registration_token) conn.Exec("clear_client_registration_token", {client_id});
}

void InsertSecret(Connection& conn, const std::string& client_id, const domain::ClientWrite& w) {
  if (!w.new_secret) return;
  const domain::SecretRecord& s = *w.new_secret;
  conn.Exec("insert_client_secret", {s.secret_id, client_id, s.hash, s.prefix,
                                     std::to_string(s.expires_at_epoch), s.created_by});
}

}  // namespace

namespace {
// $1..$10 of insert_client.sql and create_client.sql.
Params ClientValues(const domain::Client& client,
                    const std::optional<std::string>& registration_token_hash) {
  return {client.client_id,
          std::string(domain::ToString(client.environment)),
          client.metadata.client_orgno,
          std::string(domain::ToString(client.metadata.integration_type)),
          client.metadata.client_name,
          std::string(domain::ToString(client.state)),
          client.metadata_json,
          client.registration_channel,
          registration_token_hash,
          client.created_by};
}
}  // namespace

domain::Client InsertClient(Connection& conn, const domain::Client& client,
                            const std::optional<std::string>& registration_token_hash,
                            const domain::ClientWrite& write) {
  Result r = conn.Exec("insert_client", ClientValues(client, registration_token_hash));
  domain::Client created = ClientFromRow(r, 0);
  InsertHistory(conn, created, write);
  InsertSecret(conn, created.client_id, write);
  created.metadata = client.metadata;
  return created;
}

domain::Client ClientRepository::Create(const domain::Client& client,
                                        const std::optional<std::string>& registration_token_hash,
                                        const domain::ClientWrite& write) {
  PgUnitOfWork unit(pool_);
  unit.Record(write.audit);
  domain::Client created = Create(unit, client, registration_token_hash, write);
  unit.Commit();
  return created;
}

domain::Client ClientRepository::Create(PgUnitOfWork& unit, const domain::Client& client,
                                        const std::optional<std::string>& registration_token_hash,
                                        const domain::ClientWrite& write) {
  if (!write.new_secret) {
    if (auto event = unit.TakeEvent()) {
      // The hot path (a test client registered): client, its first history entry and its
      // audit event in one statement, which commits on its own: one round trip instead of
      // five (BEGIN, three inserts, COMMIT), all or nothing as before.
      const auto& a = write.audit.actor;
      Params values = ClientValues(client, registration_token_hash);
      // $11..$16: the history entry; $17..$28: the audit event (insert_audit_queue's values).
      values.insert(values.end(), {write.change, a.name, a.role, NullIfEmpty(a.portal_user),
                                   NullIfEmpty(a.request_id), write.diff_json});
      for (auto& v : AuditQueueValues(*event)) values.push_back(std::move(v));
      Result r = unit.Single().Exec("create_client", values);
      domain::Client created = ClientFromRow(r, 0);
      created.metadata = client.metadata;
      unit.Queued(r.Int(0, 10));
      return created;
    }
  }
  return InsertClient(unit.Tx(), client, registration_token_hash, write);
}

std::optional<domain::Client> ClientRepository::Find(const std::string& client_id) {
  if (!IsUuid(client_id)) return std::nullopt;
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_client", {client_id});
  if (r.rows() == 0) return std::nullopt;
  return ClientFromRow(r, 0);
}

std::vector<domain::Client> ClientRepository::FindMany(const std::vector<std::string>& client_ids) {
  std::vector<std::string> ids;
  for (const std::string& id : client_ids) {
    if (IsUuid(id)) ids.push_back(id);
  }
  if (ids.empty()) return {};
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_clients", {TextArrayLiteral(ids)});
  std::vector<domain::Client> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(ClientFromRow(r, i));
  return out;
}

std::optional<domain::Client> ClientRepository::FindByRegistrationToken(
    const std::string& token_hash) {
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_client_by_registration_token", {token_hash});
  if (r.rows() == 0) return std::nullopt;
  return ClientFromRow(r, 0);
}

domain::Page<domain::Client> ClientRepository::List(const domain::ClientFilter& filter,
                                                    const domain::PageRequest& page) {
  std::string after;
  if (!page.cursor.empty()) {
    after = crypto::Base64UrlDecode(page.cursor);
    if (!IsUuid(after))
      throw AppError(ErrorCode::kValidation, "cursor is malformed", "",
                     {{"cursor", "invalid", "cursor is malformed"}});
  }
  auto opt = [](bool has, std::string v) {
    return has ? std::optional<std::string>(std::move(v)) : std::nullopt;
  };
  Lease lease = pool_.Acquire();
  Result r = lease->Exec(
      "list_clients",
      {filter.organisation,
       opt(filter.environment.has_value(),
           filter.environment ? std::string(domain::ToString(*filter.environment)) : ""),
       opt(filter.integration_type.has_value(),
           filter.integration_type ? std::string(domain::ToString(*filter.integration_type)) : ""),
       opt(filter.state.has_value(),
           filter.state ? std::string(domain::ToString(*filter.state)) : ""),
       opt(!filter.name_contains.empty(), EscapeLike(filter.name_contains)),
       opt(!after.empty(), after), std::to_string(page.limit + 1), filter.visible_own,
       filter.visible_supplied});
  domain::Page<domain::Client> out;
  for (int i = 0; i < r.rows() && i < page.limit; ++i) out.items.push_back(ClientFromRow(r, i));
  if (r.rows() > page.limit && !out.items.empty())
    out.next_cursor = crypto::Base64UrlEncode(out.items.back().client_id);
  return out;
}

domain::Client ClientRepository::Update(const domain::Client& client, int expected_version,
                                        const domain::ClientWrite& write) {
  PgUnitOfWork unit(pool_);
  domain::Client updated = Update(unit, client, expected_version, write);
  unit.Commit();
  return updated;
}

domain::Client ClientRepository::Update(domain::UnitOfWork& u, const domain::Client& client,
                                        int expected_version, const domain::ClientWrite& write) {
  PgUnitOfWork& unit = PgUnitOfWork::Of(u);
  Connection& conn = unit.Tx();
  Result r =
      conn.Exec("update_client", {client.client_id, std::string(domain::ToString(client.state)),
                                  client.metadata_json, std::to_string(expected_version)});
  if (r.rows() == 0) {
    Result exists = conn.Exec("select_client", {client.client_id});
    if (exists.rows() == 0) throw AppError(ErrorCode::kNotFound, "no such client");
    throw AppError(ErrorCode::kPreconditionFailed,
                   "the client was changed by someone else; reload it and retry", "", {},
                   "version_mismatch");
  }
  domain::Client updated = ClientFromRow(r, 0);
  InsertHistory(conn, updated, write);
  RetireCredentials(conn, updated.client_id, write);
  InsertSecret(conn, updated.client_id, write);
  unit.Record(write.audit);
  updated.metadata = client.metadata;
  return updated;
}

std::vector<domain::ClientChange> ClientRepository::History(const std::string& client_id) {
  std::vector<domain::ClientChange> out;
  if (!IsUuid(client_id)) return out;
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_client_history", {client_id});
  for (int i = 0; i < r.rows(); ++i) {
    domain::ClientChange c;
    c.version = static_cast<int>(r.Int(i, 0));
    c.change = r.Str(i, 1);
    c.changed_at = r.Str(i, 2);
    c.actor = r.Str(i, 3);
    c.role = r.Str(i, 4);
    c.portal_user = r.Opt(i, 5).value_or("");
    c.request_id = r.Opt(i, 6).value_or("");
    c.state = r.Str(i, 7);
    c.diff_json = r.Str(i, 8);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace onboard::db
