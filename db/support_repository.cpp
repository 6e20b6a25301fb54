#include "support_repository.hpp"

#include "audit_log_repository.hpp"
#include "audit_store.hpp"
#include "client_repository.hpp"
#include "repository.hpp"

namespace onboard::db {

std::optional<std::string> SupportRepository::FindOnboardingIdForClient(
    const std::string& client_id) {
  if (!IsUuid(client_id)) return std::nullopt;
  return FindRow(pool_, "select_onboarding_id_for_client", {client_id},
                 [](const Result& r, int row) { return r.Str(row, 0); });
}

std::vector<domain::SealedAuditEvent> SupportRepository::RecentAuditEvents(
    const std::vector<std::string>& target_ids, int limit) {
  return ListRows(pool_, "select_recent_audit_events_for_targets",
                  {TextArrayLiteral(target_ids), std::to_string(limit)}, SealedEventFromRow);
}

}  // namespace onboard::db
