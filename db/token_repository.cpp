#include "token_repository.hpp"

#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "error.hpp"
#include "repository.hpp"

namespace onboard::db {

namespace {

// Columns: id, name, role, prefix, created_by, created_at, expires_at, revoked_at,
// last_used_at, organisation
domain::ApiToken FromRow(const Result& r, int row) {
  domain::ApiToken t;
  ReadColumns(r, row, 0, t.id, t.name, Parsed(t.role, domain::ParseRole, domain::Role::kAuditor),
              t.prefix, t.created_by, t.created_at, t.expires_at, t.revoked_at, t.last_used_at,
              t.organisation);
  return t;
}

}  // namespace

domain::ApiToken TokenRepository::Create(domain::UnitOfWork& unit, const domain::ApiToken& token,
                                         const std::string& token_hash,
                                         std::optional<int> expires_in_days) {
  const std::vector<Refusal> refusals = {
      {"api_tokens_active_name_key",
       ErrorCode::kConflict,
       "an active token with this name exists; revoke it first or pick another",
       {{"name", "duplicate", "an active token has this name"}},
       "token_name_taken"},
      {"api_tokens_organisation_fkey",
       ErrorCode::kValidation,
       "the token request is invalid",
       {{"organisation", "unknown_organisation", "no such organisation"}},
       ""}};
  Connection& conn = PgUnitOfWork::Of(unit).Tx();
  return FromRow(
      ExecRefusing(conn, "insert_api_token",
                   {token.id, token.name, std::string(domain::RoleName(token.role)), token_hash,
                    token.prefix, token.created_by,
                    expires_in_days ? std::optional<std::string>(std::to_string(*expires_in_days))
                                    : std::nullopt,
                    token.organisation},
                   refusals),
      0);
}

std::optional<domain::TokenLookup> TokenRepository::FindByHash(const std::string& token_hash) {
  return FindRow(pool_, "select_api_token_by_hash", {token_hash}, [](const Result& r, int row) {
    return domain::TokenLookup{FromRow(r, row), r.Bool(row, 10), !r.IsNull(row, 7)};
  });
}

std::vector<domain::ApiToken> TokenRepository::List() {
  return ListRows(pool_, "list_api_tokens", {}, FromRow);
}

domain::ApiToken TokenRepository::Revoke(domain::UnitOfWork& unit, const std::string& id) {
  Connection& conn = PgUnitOfWork::Of(unit).Tx();
  return FromRow(ExecExpectingRow(conn, "revoke_api_token", {id}, "no active token with this id"),
                 0);
}

void TokenRepository::TouchLastUsed(const std::string& id) {
  Lease lease = pool_.Acquire();
  lease->Exec("touch_api_token", {id});
}

}  // namespace onboard::db
