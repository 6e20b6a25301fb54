#include "jwk_set_repository.hpp"

#include <map>

#include "client_key_repository.hpp"
#include "client_repository.hpp"
#include "error.hpp"
#include "jose.hpp"
#include "pg_unit_of_work.hpp"
#include "repository.hpp"

namespace onboard::db {

namespace {

struct LiveKey {
  std::string kind;
  std::string thumbprint;  ///< RFC 7638 of its JWK
};

std::string Thumbprint(const std::string& jwk_json) {
  return domain::jose::Rfc7638Thumbprint(domain::jose::ParseJwkJson(jwk_json));
}

// The client change that goes with the keys (as ClientKeyRepository::Add writes it).
void WriteClientChange(Connection& conn, const std::string& client_id,
                       const domain::KeyWrite& write) {
  if (write.next_client) {
    UpdateClient(conn, *write.next_client, write.expected_version, write.change, write.diff_json,
                 write.audit.actor);
  }
  if (write.revoke_secrets) conn.Exec("revoke_client_secrets", {client_id});
}

}  // namespace

domain::JwkSetResult JwkSetRepository::Replace(domain::UnitOfWork& u, const std::string& client_id,
                                               const domain::JwkSetChange& change) {
  if (!IsUuid(client_id)) throw AppError(ErrorCode::kNotFound, "no such client");
  PgUnitOfWork& unit = PgUnitOfWork::Of(u);
  Connection& conn = unit.Tx();
  Result locked = ExecExpectingRow(conn, "lock_client_for_keys", {client_id}, "no such client");
  if (change.write.next_client && locked.Int(0, 0) != change.write.expected_version)
    throw AppError(ErrorCode::kPreconditionFailed, "the client was changed by someone else; retry",
                   "", {}, "version_mismatch");
  // Columns of list_client_keys.sql: 2 kid, 3 kind, 5 jwk.
  std::map<std::string, LiveKey> live;
  Result listed = conn.Exec("list_client_keys", {client_id});
  for (int i = 0; i < listed.rows(); ++i)
    live[listed.Str(i, 2)] = {listed.Str(i, 3), Thumbprint(listed.Str(i, 5))};
  std::map<std::string, const domain::ClientKey*> posted;
  for (const auto& k : change.keys) posted[k.kid] = &k;

  domain::JwkSetResult out;
  for (const auto& [kid, key] : live) {
    const auto p = posted.find(kid);
    if (key.kind != "jwk") {
      if (p != posted.end())
        throw AppError(ErrorCode::kConflict,
                       "kid " + kid + " is a bound certificate's; choose another kid", "", {},
                       "kid_already_registered");
      continue;
    }
    if (p != posted.end() && Thumbprint(p->second->jwk_json) == key.thumbprint) {
      conn.Exec("renew_client_key", {client_id, kid});
      ++out.renewed;
      posted.erase(p);  // kept: nothing to insert
      continue;
    }
    conn.Exec("remove_client_key", {client_id, kid, change.changed_by});
    ++out.removed;
  }
  for (const auto& [kid, key] : posted) {
    conn.Exec("insert_client_key", {key->id, client_id, kid, "jwk", key->alg, key->jwk_json,
                                    std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                                    std::nullopt, std::nullopt, "0", "0", change.changed_by});
    ++out.added;
  }
  if (static_cast<std::size_t>(conn.Exec("count_client_keys", {client_id}).Int(0, 0)) >
      change.max_keys)
    throw AppError(ErrorCode::kConflict,
                   "with the client's bound certificates the set has more than " +
                       std::to_string(change.max_keys) + " keys",
                   "", {}, "too_many_keys");
  WriteClientChange(conn, client_id, change.write);
  unit.Record(change.write.audit);
  Result after = conn.Exec("list_client_keys", {client_id});
  out.keys = RowsOf(after, KeyFromRow);
  return out;
}

}  // namespace onboard::db
