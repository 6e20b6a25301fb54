#pragma once

#include "pool.hpp"
#include "production_order.hpp"

namespace onboard::db {

/// ProductionOrderStore on PostgreSQL. Thread-safe.
class ProductionOrderRepository final : public domain::ProductionOrderStore {
 public:
  explicit ProductionOrderRepository(Pool& pool) : pool_(pool) {}

  domain::ProductionOrder Create(const domain::ProductionOrder& order,
                                 const domain::AuditEvent& audit) override;
  std::optional<domain::ProductionOrder> Find(const std::string& id) override;
  domain::Page<domain::ProductionOrder> List(const domain::OrderFilter& filter,
                                             const domain::PageRequest& page) override;
  domain::ProductionOrder Transition(const domain::ProductionOrder& order, int expected_version,
                                     const domain::AuditEvent& audit) override;
  domain::ProductionOrder Approve(const domain::ProductionOrder& order, int expected_version,
                                  const domain::Client& production_client,
                                  const domain::ClientWrite& client_write,
                                  const domain::AuditEvent& audit,
                                  const std::optional<domain::SecretIssuance>& issuance) override;

 private:
  Pool& pool_;
};

}  // namespace onboard::db
