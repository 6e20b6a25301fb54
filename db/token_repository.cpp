#include "token_repository.hpp"

#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "error.hpp"

namespace onboard::db {

namespace {

// Columns: id, name, role, prefix, created_by, created_at, expires_at, revoked_at, last_used_at
domain::ApiToken FromRow(const Result& r, int row) {
  domain::ApiToken t;
  t.id = r.Str(row, 0);
  t.name = r.Str(row, 1);
  t.role = domain::ParseRole(r.Get(row, 2)).value_or(domain::Role::kAuditor);
  t.prefix = r.Str(row, 3);
  t.created_by = r.Str(row, 4);
  t.created_at = r.Str(row, 5);
  t.expires_at = r.Opt(row, 6);
  t.revoked_at = r.Opt(row, 7);
  t.last_used_at = r.Opt(row, 8);
  t.organisation = r.Opt(row, 9);
  return t;
}

}  // namespace

domain::ApiToken TokenRepository::Create(const domain::ApiToken& token,
                                         const std::string& token_hash,
                                         std::optional<int> expires_in_days,
                                         const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  Result r;
  try {
    r = conn.Exec("insert_api_token",
                  {token.id, token.name, std::string(domain::RoleName(token.role)), token_hash,
                   token.prefix, token.created_by,
                   expires_in_days ? std::optional<std::string>(std::to_string(*expires_in_days))
                                   : std::nullopt,
                   token.organisation});
  } catch (const AppError& e) {
    if (e.code() == ErrorCode::kConflict && e.code_name() == "api_tokens_active_name_key") {
      throw AppError(ErrorCode::kConflict,
                     "an active token with this name exists; revoke it first or pick another",
                     e.internal(), {{"name", "duplicate", "an active token has this name"}},
                     "token_name_taken");
    }
    if (e.code() == ErrorCode::kConflict && e.code_name() == "api_tokens_organisation_fkey") {
      throw AppError(ErrorCode::kValidation, "the token request is invalid", e.internal(),
                     {{"organisation", "unknown_organisation", "no such organisation"}});
    }
    throw;
  }
  unit.Record(audit);
  unit.Commit();
  return FromRow(r, 0);
}

std::optional<domain::TokenLookup> TokenRepository::FindByHash(const std::string& token_hash) {
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_api_token_by_hash", {token_hash});
  if (r.rows() == 0) return std::nullopt;
  domain::TokenLookup out{FromRow(r, 0), r.Bool(0, 10), !r.IsNull(0, 7)};
  return out;
}

std::vector<domain::ApiToken> TokenRepository::List() {
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("list_api_tokens");
  std::vector<domain::ApiToken> out;
  out.reserve(r.rows());
  for (int i = 0; i < r.rows(); ++i) out.push_back(FromRow(r, i));
  return out;
}

domain::ApiToken TokenRepository::Revoke(const std::string& id, const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  Result r = conn.Exec("revoke_api_token", {id});
  if (r.rows() == 0) throw AppError(ErrorCode::kNotFound, "no active token with this id");
  unit.Record(audit);
  unit.Commit();
  return FromRow(r, 0);
}

void TokenRepository::TouchLastUsed(const std::string& id) {
  Lease lease = pool_.Acquire();
  lease->Exec("touch_api_token", {id});
}

}  // namespace onboard::db
