#pragma once

#include "oidc_relying_party.hpp"
#include "pool.hpp"

namespace onboard::db {

/// OidcFlowStore on PostgreSQL (table `oidc_flows`, migration 0036). Thread-safe.
class OidcFlowRepository final : public domain::OidcFlowStore {
 public:
  explicit OidcFlowRepository(Pool& pool) : pool_(pool) {}

  void Create(const domain::OidcFlow& flow, int ttl_s) override;
  std::optional<domain::TakenOidcFlow> Take(const std::string& state_hash) override;

 private:
  Pool& pool_;
};

}  // namespace onboard::db
