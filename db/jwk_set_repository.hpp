#pragma once

#include "client_jwk_set.hpp"
#include "pool.hpp"

namespace onboard::db {

/// JwkSetStore on PostgreSQL (table `client_keys`): the whole-set replacement in one
/// transaction under the client's row lock. Thread-safe.
class JwkSetRepository final : public domain::JwkSetStore {
 public:
  explicit JwkSetRepository(Pool& pool) : pool_(pool) {}
  domain::JwkSetResult Replace(domain::UnitOfWork& unit, const std::string& client_id,
                               const domain::JwkSetChange& change) override;

 private:
  Pool& pool_;
};

}  // namespace onboard::db
