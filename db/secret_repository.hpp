#pragma once

#include "delivery.hpp"
#include "kek.hpp"
#include "pool.hpp"
#include "pg_unit_of_work.hpp"

namespace onboard::db {

/// SecretStore on PostgreSQL. Thread-safe (each call leases its own connection).
class SecretRepository final : public domain::SecretStore {
 public:
  /// `keys` opens stored packages at download; it must outlive the repository.
  SecretRepository(Pool& pool, const crypto::KeyRing& keys) : pool_(pool), keys_(keys) {}

  void Issue(domain::UnitOfWork& unit, const domain::SecretIssuance& issuance) override;
  /// Issue in a unit of its own, committed (tests and tools that need no other write).
  void Issue(const domain::SecretIssuance& issuance);
  std::vector<domain::SecretInfo> ListSecrets(const std::string& client_id) override;
  bool RevokeSecret(domain::UnitOfWork& unit, const std::string& client_id,
                    const std::string& secret_id, const domain::AuditEvent& audit) override;
  std::optional<domain::Delivery> FindDelivery(const std::string& delivery_id) override;
  std::vector<domain::Delivery> ListDeliveries(const std::string& client_id) override;
  std::optional<domain::OrderContact> FindOrderContact(const std::string& client_id) override;
  domain::DownloadResult TakePackage(const std::string& delivery_id, const std::string& ip,
                                     const domain::AuditEvent& audit) override;
  int SweepExpiredPackages(int limit) override;

 private:
  Pool& pool_;
  const crypto::KeyRing& keys_;
};

/// Writes `issuance` in `unit`'s transaction (begun if it was not): locks the
/// client, retires the superseded delivery (reissue), rotates the client's valid secrets
/// (grace, max old), inserts the new secret's hash, the delivery with its sealed package
/// and the outbox rows, activates a production client that awaited its credentials (with
/// an `activate` history row), and queues the issuance's audit event (sealed when the unit
/// commits). Shared by
/// SecretRepository::Issue and production-order approval, so both issue the same way.
/// Throws AppError(kNotFound) for an unknown client, kConflict when the superseded
/// delivery was already superseded.
void StoreIssuance(PgUnitOfWork& unit, const domain::SecretIssuance& issuance);

/// The bytes of a bytea column read in text format (hex output).
std::string ByteaValue(std::string_view text);

}  // namespace onboard::db
