#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit_event.hpp"

namespace onboard::domain {

/// Read-only lookups the operator team's support view needs beyond the other stores.
class SupportStore {
 public:
  virtual ~SupportStore() = default;
  /// The onboarding case a client belongs to: as a linked test client or as the case's
  /// production client.
  virtual std::optional<std::string> FindOnboardingIdForClient(const std::string& client_id) = 0;
  /// The newest `limit` audit events whose target is one of `target_ids`, newest first.
  virtual std::vector<SealedAuditEvent> RecentAuditEvents(
      const std::vector<std::string>& target_ids, int limit) = 0;
};

}  // namespace onboard::domain
