#include "client_key_repository.hpp"

#include <algorithm>
#include <cerrno>
#include <tuple>
#include <unordered_map>

#include "audit_log_repository.hpp"
#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "client_repository.hpp"
#include "error.hpp"
#include "repository.hpp"

namespace onboard::db {

namespace {

std::vector<domain::ClientKey> Keys(Connection& conn, const std::string& client_id) {
  return RowsOf(conn.Exec("list_client_keys", {client_id}), KeyFromRow);
}

int LockClient(Connection& conn, const std::string& client_id) {
  return static_cast<int>(
      ExecExpectingRow(conn, "lock_client_for_keys", {client_id}, "no such client").Int(0, 0));
}

}  // namespace

domain::ClientKey KeyFromRow(const Result& r, int row) {
  domain::ClientKey k;
  ReadColumns(r, row, 0, k.id, k.client_id, k.kid, k.kind, k.alg, k.jwk_json, k.certificate,
              k.thumbprint, k.subject, k.issuer, k.serial, k.orgno, k.not_before, k.not_after,
              k.created_at, k.created_by, k.last_used_at);
  return k;
}

std::vector<domain::ClientKey> ClientKeyRepository::List(const std::string& client_id) {
  if (!IsUuid(client_id)) return {};
  Lease lease = pool_.Acquire();
  return Keys(*lease, client_id);
}

domain::ClientKey ClientKeyRepository::Add(domain::UnitOfWork& u, const domain::ClientKey& key,
                                           std::size_t max_keys, const domain::KeyWrite& write) {
  PgUnitOfWork& unit = PgUnitOfWork::Of(u);
  Connection& conn = unit.Tx();
  const int version = LockClient(conn, key.client_id);
  if (write.next_client && version != write.expected_version) {
    throw AppError(ErrorCode::kPreconditionFailed, "the client was changed by someone else; retry",
                   "", {}, "version_mismatch");
  }
  const int64_t live = conn.Exec("count_client_keys", {key.client_id}).Int(0, 0);
  if (static_cast<std::size_t>(live) >= max_keys) {
    throw AppError(
        ErrorCode::kConflict,
        "the client has " + std::to_string(domain::kMaxClientKeys) +
            " keys already; remove one (DELETE .../certificates/{kid}) before adding another",
        "", {}, "too_many_keys");
  }
  Result inserted;
  try {
    inserted = conn.Exec(
        "insert_client_key",
        {key.id, key.client_id, key.kid, key.kind, key.alg, key.jwk_json,
         NullIfEmpty(key.certificate), NullIfEmpty(key.thumbprint), NullIfEmpty(key.subject),
         NullIfEmpty(key.issuer), NullIfEmpty(key.serial), NullIfEmpty(key.orgno),
         std::to_string(key.not_before), std::to_string(key.not_after), key.created_by});
  } catch (const AppError& e) {
    if (e.code() == ErrorCode::kConflict) {
      throw AppError(ErrorCode::kConflict, "the client has a key with kid " + key.kid + " already",
                     e.internal(), {}, "kid_already_registered");
    }
    throw;
  }
  domain::ClientKey stored = key;
  stored.created_at = inserted.Str(0, 0);
  stored.not_after = inserted.Int(0, 1);
  if (write.next_client) {
    UpdateClient(conn, *write.next_client, write.expected_version, write.change, write.diff_json,
                 write.audit.actor);
  }
  if (write.revoke_secrets) conn.Exec("revoke_client_secrets", {key.client_id});
  unit.Record(write.audit);
  return stored;
}

void ClientKeyRepository::Remove(domain::UnitOfWork& u, const std::string& client_id,
                                 const std::string& kid, const std::string& removed_by,
                                 bool keep_one, const domain::AuditEvent& audit) {
  PgUnitOfWork& unit = PgUnitOfWork::Of(u);
  Connection& conn = unit.Tx();
  LockClient(conn, client_id);
  ExecExpectingRow(conn, "remove_client_key", {client_id, kid, removed_by},
                   "the client has no key with kid " + kid);
  if (keep_one && conn.Exec("count_client_keys", {client_id}).Int(0, 0) == 0) {
    throw AppError(ErrorCode::kConflict,
                   "this is the last key of an active private_key_jwt client; add its successor "
                   "first, or deactivate "
                   "the client",
                   "", {}, "key_required");
  }
  unit.Record(audit);
}

bool ClientKeyRepository::AwaitsCertificate(const std::string& client_id) {
  if (!IsUuid(client_id)) return false;
  Lease lease = pool_.Acquire();
  return lease->Exec("select_certificate_order_of_client", {client_id}).rows() > 0;
}

std::optional<domain::RuntimeRecord> ProviderRepository::Load(const std::string& client_id) {
  if (!IsUuid(client_id)) return std::nullopt;
  Lease lease = pool_.Acquire();
  Result c = lease->Exec("select_client", {client_id});
  if (c.rows() == 0) return std::nullopt;
  domain::RuntimeRecord record;
  record.client = ClientFromRow(c, 0);
  Result s = lease->Exec("select_runtime_secrets", {client_id});
  for (int i = 0; i < s.rows(); ++i) {
    record.secrets.push_back({s.Str(i, 0), s.Str(i, 1), s.Int(i, 2)});
    record.secrets_expire_at =
        s.Str(i, 3) > record.secrets_expire_at ? s.Str(i, 3) : record.secrets_expire_at;
  }
  record.keys = Keys(*lease, client_id);
  return record;
}

bool ProviderRepository::RememberJti(const std::string& client_id, const std::string& jti,
                                     int64_t expires_epoch) {
  return replay_.Remember(client_id, jti, expires_epoch);
}

bool ReplayBatcher::Remember(const std::string& client_id, const std::string& jti,
                             int64_t expires_epoch) {
  Item item{&client_id, &jti, expires_epoch, {0}, nullptr, {}};
  std::unique_lock<std::mutex> lock(mutex_);
  queue_.push_back(&item);
  for (;;) {
    if (flushing_ < max_flushes_ && !queue_.empty()) {
      // Take everything waiting (this request's item among it, or a later batch).
      std::vector<Item*> batch;
      batch.swap(queue_);
      ++flushing_;
      lock.unlock();
      std::exception_ptr error;
      const std::vector<int> states = Flush(batch, error);
      lock.lock();
      --flushing_;
      // Requests that came during the flush: the first of them leads their batch. It is
      // woken under the mutex, while it is surely still queued (and so alive).
      if (!queue_.empty()) queue_.front()->wake.Post();
      lock.unlock();
      // The batch's callers are woken without the mutex, so none of them runs into it: each
      // reads its outcome from its own item. An item is gone once its caller sees its
      // state, so nothing touches it after the state is published but the Post.
      for (std::size_t i = 0; i < batch.size(); ++i) {
        Item* done = batch[i];
        if (states[i] == 3) done->error = error;
        done->state.store(states[i], std::memory_order_release);
        if (done != &item) done->wake.Post();
      }
    } else {
      lock.unlock();
      item.wake.Wait();
    }
    // Recorded by a batch (this thread's or another's), or woken to lead the next one.
    if (const int state = item.state.load(std::memory_order_acquire); state != 0) {
      if (state == 3) std::rethrow_exception(item.error);
      return state == 1;
    }
    lock.lock();
  }
}

void ReplayBatcher::Wakeup::Wait() {
  while (sem_wait(&sem_) != 0 && errno == EINTR) {
  }
}

std::vector<int> ReplayBatcher::Flush(const std::vector<Item*>& batch, std::exception_ptr& error) {
  // The same (client, jti) twice in one batch: the first may be recorded, the rest are replays.
  std::vector<int> states(batch.size(), 0);
  std::unordered_map<std::string, std::size_t> first;
  first.reserve(batch.size());
  std::vector<std::size_t> order;
  try {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const Item* item = batch[i];
      std::string key = *item->client_id + '\n' + *item->jti;
      if (!first.emplace(std::move(key), i).second) {
        states[i] = 2;
        continue;
      }
      order.push_back(i);
    }
    // Rows go in in key order: two batches (of two instances, or of one with several in
    // flight) naming the same ids then take their unique-index locks in the same order
    // and one waits for the other instead of both deadlocking.
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return std::tie(*batch[a]->client_id, *batch[a]->jti) <
             std::tie(*batch[b]->client_id, *batch[b]->jti);
    });
    // Three arrays unnested side by side: cheaper for the server than a JSON document.
    std::vector<std::string> clients, jtis;
    std::string expires = "{";
    for (std::size_t i : order) {
      clients.push_back(*batch[i]->client_id);
      jtis.push_back(*batch[i]->jti);
      if (expires.size() > 1) expires.push_back(',');
      expires += std::to_string(batch[i]->expires);
    }
    expires.push_back('}');
    Lease lease = pool_.Acquire();
    Result r = lease->Exec("insert_assertion_jtis",
                           {TextArrayLiteral(clients), TextArrayLiteral(jtis), expires});
    for (int i = 0; i < r.rows(); ++i) {
      auto it = first.find(r.Str(i, 0) + '\n' + r.Str(i, 1));
      if (it != first.end()) states[it->second] = 1;
    }
    for (auto& [key, index] : first) {
      if (states[index] == 0) states[index] = 2;
    }
  } catch (...) {
    // Nothing may escape: every item of the batch gets an outcome, or its caller waits forever.
    error = std::current_exception();
    for (int& state : states) {
      if (state == 0 || state == 1) state = 3;
    }
  }
  return states;
}

int64_t ProviderRepository::PurgeExpiredJtis() {
  Lease lease = replay_pool_.Acquire();
  return lease->Exec("delete_expired_assertion_jtis").affected();
}

void ProviderRepository::TouchSecret(const std::string& secret_id) {
  Lease lease = pool_.Acquire();
  lease->Exec("touch_client_secret", {secret_id});
}

void ProviderRepository::TouchKey(const std::string& key_id) {
  Lease lease = pool_.Acquire();
  lease->Exec("touch_client_key", {key_id});
}

}  // namespace onboard::db
