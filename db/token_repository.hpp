#pragma once

#include "api_token.hpp"
#include "pool.hpp"

namespace onboard::db {

/// TokenStore on PostgreSQL. Thread-safe.
class TokenRepository final : public domain::TokenStore {
 public:
  explicit TokenRepository(Pool& pool) : pool_(pool) {}

  domain::ApiToken Create(domain::UnitOfWork& unit, const domain::ApiToken& token,
                          const std::string& token_hash,
                          std::optional<int> expires_in_days) override;
  std::optional<domain::TokenLookup> FindByHash(const std::string& token_hash) override;
  std::vector<domain::ApiToken> List() override;
  domain::ApiToken Revoke(domain::UnitOfWork& unit, const std::string& id) override;

  /// Records use; coalesced by the SQL to at most one write per token per minute.
  void TouchLastUsed(const std::string& id) override;

 private:
  Pool& pool_;
};

}  // namespace onboard::db
