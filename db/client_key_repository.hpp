#pragma once

#include "client_key.hpp"
#include "pool.hpp"
#include "provider_auth.hpp"

namespace onboard::db {

/// ClientKeyStore on PostgreSQL. Thread-safe (each call leases its own connection).
class ClientKeyRepository final : public domain::ClientKeyStore {
 public:
  explicit ClientKeyRepository(Pool& pool) : pool_(pool) {}

  std::vector<domain::ClientKey> List(const std::string& client_id) override;
  domain::ClientKey Add(const domain::ClientKey& key, std::size_t max_keys, const domain::KeyWrite& write) override;
  void Remove(const std::string& client_id, const std::string& kid, const std::string& removed_by, bool keep_one,
              const domain::AuditEvent& audit) override;
  bool AwaitsCertificate(const std::string& client_id) override;

 private:
  Pool& pool_;
};

/// ProviderStore on PostgreSQL. Reads and bookkeeping go through `pool`; assertion ids
/// through `replay_pool`, whose sessions may commit asynchronously (see serve.cpp).
class ProviderRepository final : public domain::ProviderStore {
 public:
  ProviderRepository(Pool& pool, Pool& replay_pool) : pool_(pool), replay_pool_(replay_pool) {}

  std::optional<domain::RuntimeRecord> Load(const std::string& client_id) override;
  bool RememberJti(const std::string& client_id, const std::string& jti, int64_t expires_epoch) override;
  int64_t PurgeExpiredJtis() override;
  void TouchSecret(const std::string& secret_id) override;
  void TouchKey(const std::string& key_id) override;

 private:
  Pool& pool_;
  Pool& replay_pool_;
};

}  // namespace onboard::db
