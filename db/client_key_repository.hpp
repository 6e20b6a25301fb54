#pragma once

#include <semaphore.h>

#include <atomic>
#include <exception>
#include <mutex>
#include <vector>

#include "client_key.hpp"
#include "pool.hpp"
#include "provider_auth.hpp"

namespace onboard::db {

/// ClientKeyStore on PostgreSQL. Thread-safe (each call leases its own connection).
class ClientKeyRepository final : public domain::ClientKeyStore {
 public:
  explicit ClientKeyRepository(Pool& pool) : pool_(pool) {}

  std::vector<domain::ClientKey> List(const std::string& client_id) override;
  domain::ClientKey Add(domain::UnitOfWork& unit, const domain::ClientKey& key,
                        std::size_t max_keys, const domain::KeyWrite& write) override;
  void Remove(domain::UnitOfWork& unit, const std::string& client_id, const std::string& kid,
              const std::string& removed_by, bool keep_one,
              const domain::AuditEvent& audit) override;
  bool AwaitsCertificate(const std::string& client_id) override;

 private:
  Pool& pool_;
};

/// The key in `row` of list_client_keys (its columns, in order).
domain::ClientKey KeyFromRow(const Result& r, int row);

/// Group commit for the jti replay store: concurrent Remember calls are gathered and
/// written with one multi-row INSERT ... ON CONFLICT DO NOTHING RETURNING (one round trip
/// and one transaction for the batch), at most `max_flushes` batches in flight. Under load
/// a request waits about one round trip, as it would alone, while the database sees a
/// fraction of the statements. A finished batch wakes only its own callers (and, when
/// requests wait, one of them to lead the next batch), not every waiting thread, and wakes
/// them after letting go of the mutex, so a woken caller does not sleep again on it.
/// Thread-safe.
class ReplayBatcher {
 public:
  ReplayBatcher(Pool& pool, int max_flushes)
      : pool_(pool), max_flushes_(max_flushes < 1 ? 1 : max_flushes) {}
  /// True when (client_id, jti) was not recorded before (then it is now). Throws the
  /// database's AppError (kUnavailable when it is down).
  bool Remember(const std::string& client_id, const std::string& jti, int64_t expires_epoch);

 private:
  // A caller's wake-up. glibc's sem_post touches nothing of the semaphore after waking
  // its waiter, so a waiter may destroy it as soon as sem_wait returns (glibc bug 12674,
  // fixed in 2.21): an item can live on its caller's stack and be woken without a mutex.
  class Wakeup {
   public:
    Wakeup() { sem_init(&sem_, 0, 0); }
    ~Wakeup() { sem_destroy(&sem_); }
    Wakeup(const Wakeup&) = delete;
    Wakeup& operator=(const Wakeup&) = delete;
    void Post() { sem_post(&sem_); }
    void Wait();

   private:
    sem_t sem_;
  };
  struct Item {
    const std::string* client_id;
    const std::string* jti;
    int64_t expires;
    std::atomic<int> state{0};  // 0 waiting, 1 recorded now, 2 recorded before, 3 failed
    std::exception_ptr error;   // written before a state of 3 is published
    Wakeup wake;                // posted for its outcome, or to lead the next batch
  };
  // Runs the batch's INSERT without the mutex and returns each item's outcome (in batch
  // order) without touching the items: Remember publishes them, because an item lives on
  // its waiting thread's stack and is gone once that thread sees its state.
  std::vector<int> Flush(const std::vector<Item*>& batch, std::exception_ptr& error);

  Pool& pool_;
  const int max_flushes_;
  std::mutex mutex_;
  std::vector<Item*> queue_;
  int flushing_ = 0;
};

/// ProviderStore on PostgreSQL. Reads and bookkeeping go through `pool`; assertion ids
/// through `replay_pool` (batched), whose sessions may commit asynchronously (serve.cpp).
class ProviderRepository final : public domain::ProviderStore {
 public:
  ProviderRepository(Pool& pool, Pool& replay_pool, int max_flushes)
      : pool_(pool), replay_pool_(replay_pool), replay_(replay_pool, max_flushes) {}

  std::optional<domain::RuntimeRecord> Load(const std::string& client_id) override;
  bool RememberJti(const std::string& client_id, const std::string& jti,
                   int64_t expires_epoch) override;
  int64_t PurgeExpiredJtis() override;
  void TouchSecret(const std::string& secret_id) override;
  void TouchKey(const std::string& key_id) override;

 private:
  Pool& pool_;
  Pool& replay_pool_;
  ReplayBatcher replay_;
};

}  // namespace onboard::db
