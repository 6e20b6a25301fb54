#include "client_repository.hpp"

#include "audit_log_repository.hpp"
#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "repository.hpp"
#include "stored_metadata_memo.hpp"

namespace onboard::db {

namespace {

// Columns of every statement that returns a client: client_id, environment, state,
// version, registration_channel, created_by, created_at, updated_at, metadata,
// organisation; the reads add integration_type.
domain::Client ClientRowFields(const Result& r, int row) {
  domain::Client c;
  ReadColumns(r, row, 0, c.client_id,
              Parsed(c.environment, domain::EnvironmentFromString, domain::Environment::kTest),
              Parsed(c.state, domain::ClientStateFromString, domain::ClientState::kDeactivated),
              c.version, c.registration_channel, c.created_by, c.created_at, c.updated_at,
              c.metadata_json, c.organisation);
  return c;
}

// The client a write returned: its metadata is the one it wrote, so it is not parsed again.
domain::Client WrittenClient(const Result& r, const domain::Client& written) {
  domain::Client c = ClientRowFields(r, 0);
  c.metadata = written.metadata;
  return c;
}

void InsertHistory(Connection& conn, const domain::Client& c, const std::string& change,
                   const std::string& diff_json, const domain::Actor& a) {
  conn.Exec("insert_client_history",
            {c.client_id, std::to_string(c.version), change, a.name, a.role,
             NullIfEmpty(a.portal_user), NullIfEmpty(a.request_id),
             std::string(domain::ToString(c.state)), c.metadata_json, diff_json});
}

// update_client guarded by `expected_version`: the stored client, or no row.
Result UpdateRow(Connection& conn, const domain::Client& c, int expected_version) {
  return conn.Exec("update_client", {c.client_id, std::string(domain::ToString(c.state)),
                                     c.metadata_json, std::to_string(expected_version)});
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
// One memo for the process: every repository reads the same clients table, and an entry
// answers only for the exact document it was parsed from (stored_metadata_memo.hpp).
domain::StoredMetadataMemo& Memo() {
  static domain::StoredMetadataMemo memo;
  return memo;
}
}  // namespace

domain::Client ClientFromRow(const Result& r, int row) {
  domain::Client c = ClientRowFields(r, row);
  // The integration_type column is the type the metadata was written with: a row whose
  // document does not name it (one written by hand) still reads.
  try {
    c.metadata = Memo().Parse(c.client_id, c.metadata_json,
                              domain::IntegrationTypeFromString(r.Get(row, 10)));
  } catch (const AppError& e) {
    throw AppError(
        ErrorCode::kInternal, "internal error",
        "the stored metadata of client " + c.client_id + " does not parse: " + e.internal());
  }
  return c;
}

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
  domain::Client created = WrittenClient(r, client);
  InsertHistory(conn, created, write.change, write.diff_json, write.audit.actor);
  InsertSecret(conn, created.client_id, write);
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
      domain::Client created = WrittenClient(r, client);
      unit.Queued(r.Int(0, 10));
      return created;
    }
  }
  return InsertClient(unit.Tx(), client, registration_token_hash, write);
}

void UpdateClient(Connection& conn, const domain::Client& next, int expected_version,
                  const std::string& change, const std::string& diff_json,
                  const domain::Actor& actor) {
  Result r = UpdateRow(conn, next, expected_version);
  if (r.rows() == 0) {
    throw AppError(ErrorCode::kPreconditionFailed, "the client was changed by someone else; retry",
                   "", {}, "version_mismatch");
  }
  InsertHistory(conn, WrittenClient(r, next), change, diff_json, actor);
}

std::optional<domain::Client> ClientRepository::Find(const std::string& client_id) {
  if (!IsUuid(client_id)) return std::nullopt;
  return FindRow(pool_, "select_client", {client_id}, ClientFromRow);
}

std::vector<domain::Client> ClientRepository::FindMany(const std::vector<std::string>& client_ids) {
  std::vector<std::string> ids;
  for (const std::string& id : client_ids) {
    if (IsUuid(id)) ids.push_back(id);
  }
  if (ids.empty()) return {};
  return ListRows(pool_, "select_clients", {TextArrayLiteral(ids)}, ClientFromRow);
}

std::optional<domain::Client> ClientRepository::FindByRegistrationToken(
    const std::string& token_hash) {
  return FindRow(pool_, "select_client_by_registration_token", {token_hash}, ClientFromRow);
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
  Lease lease = pool_.Acquire();
  Result r = lease->Exec(
      "list_clients",
      {filter.organisation, NameOrNull(filter.environment), NameOrNull(filter.integration_type),
       NameOrNull(filter.state),
       filter.name_contains.empty() ? std::nullopt
                                    : std::optional<std::string>(EscapeLike(filter.name_contains)),
       NullIfEmpty(after), std::to_string(page.limit + 1), filter.visible_own,
       filter.visible_supplied});
  return PageOf(r, page.limit, ClientFromRow,
                [&](int last) { return crypto::Base64UrlEncode(r.Str(last, 0)); });
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
  Result r = UpdateRow(conn, client, expected_version);
  if (r.rows() == 0) {
    ThrowMissingOrStale(conn, "select_client", client.client_id, "no such client",
                        "the client was changed by someone else; reload it and retry");
  }
  domain::Client updated = WrittenClient(r, client);
  InsertHistory(conn, updated, write.change, write.diff_json, write.audit.actor);
  RetireCredentials(conn, updated.client_id, write);
  InsertSecret(conn, updated.client_id, write);
  unit.Record(write.audit);
  return updated;
}

std::vector<domain::ClientChange> ClientRepository::History(const std::string& client_id) {
  if (!IsUuid(client_id)) return {};
  return ListRows(pool_, "select_client_history", {client_id}, [](const Result& r, int row) {
    domain::ClientChange c;
    ReadColumns(r, row, 0, c.version, c.change, c.changed_at, c.actor, c.role, c.portal_user,
                c.request_id, c.state, c.diff_json);
    return c;
  });
}

}  // namespace onboard::db
