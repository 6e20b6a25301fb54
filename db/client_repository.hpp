#pragma once

#include "client.hpp"
#include "pg_unit_of_work.hpp"
#include "pool.hpp"
#include "uuid.hpp"

namespace onboard::db {

/// ClientStore on PostgreSQL. Thread-safe (each call leases its own connection).
class ClientRepository final : public domain::ClientStore {
 public:
  explicit ClientRepository(Pool& pool) : pool_(pool) {}

  domain::Client Create(const domain::Client& client,
                        const std::optional<std::string>& registration_token_hash,
                        const domain::ClientWrite& write) override;
  std::optional<domain::Client> Find(const std::string& client_id) override;
  std::vector<domain::Client> FindMany(const std::vector<std::string>& client_ids) override;
  std::optional<domain::Client> FindByRegistrationToken(const std::string& token_hash) override;
  domain::Page<domain::Client> List(const domain::ClientFilter& filter,
                                    const domain::PageRequest& page) override;
  domain::Client Update(domain::UnitOfWork& unit, const domain::Client& client,
                        int expected_version, const domain::ClientWrite& write) override;
  /// Update in a unit of its own, committed (tests and tools that need no other write).
  domain::Client Update(const domain::Client& client, int expected_version,
                        const domain::ClientWrite& write);
  std::vector<domain::ClientChange> History(const std::string& client_id) override;

 private:
  // Creation inside `unit`: when the unit holds just this change's event, one statement
  // writes client, history and event (committing on its own); otherwise inserts in the
  // unit's transaction.
  domain::Client Create(PgUnitOfWork& unit, const domain::Client& client,
                        const std::optional<std::string>& registration_token_hash,
                        const domain::ClientWrite& write);

  Pool& pool_;
};

/// Inserts a new client with its first history row (and its first secret, when `write`
/// carries one) on `conn`, which must be inside the caller's transaction; the caller
/// appends the audit event. Shared by client creation and production-order approval.
domain::Client InsertClient(Connection& conn, const domain::Client& client,
                            const std::optional<std::string>& registration_token_hash,
                            const domain::ClientWrite& write);

/// Writes `next`'s state and metadata if its stored version is still `expected_version`,
/// with its history entry (`change`, `diff_json`, by `actor`), on `conn` inside the caller's
/// transaction; the caller records the audit event. Throws AppError(kPreconditionFailed,
/// code version_mismatch) when the version moved. Shared by the key stores.
void UpdateClient(Connection& conn, const domain::Client& next, int expected_version,
                  const std::string& change, const std::string& diff_json,
                  const domain::Actor& actor);

/// The client in `row` of a statement that reads clients (select_client's columns), its
/// metadata parsed. Throws AppError(kInternal) when the stored metadata does not parse.
domain::Client ClientFromRow(const Result& r, int row);

/// True for a canonical UUID string (so malformed ids become 404, not a SQL error).
using onboard::IsUuid;

}  // namespace onboard::db
