#include "support_repository.hpp"

#include "audit_store.hpp"
#include "client_repository.hpp"

namespace onboard::db {

std::optional<std::string> SupportRepository::FindOnboardingIdForClient(
    const std::string& client_id) {
  if (!IsUuid(client_id)) return std::nullopt;
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_onboarding_id_for_client", {client_id});
  if (r.rows() == 0) return std::nullopt;
  return r.Str(0, 0);
}

std::vector<domain::SealedAuditEvent> SupportRepository::RecentAuditEvents(
    const std::vector<std::string>& target_ids, int limit) {
  // A PostgreSQL text[] literal; ids are UUIDs or other plain tokens, quoted anyway.
  std::string array = "{";
  for (std::size_t i = 0; i < target_ids.size(); ++i) {
    array += (i == 0 ? "\"" : ",\"");
    for (char c : target_ids[i]) {
      if (c == '"' || c == '\\') array.push_back('\\');
      array.push_back(c);
    }
    array += "\"";
  }
  array += "}";
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_recent_audit_events_for_targets", {array, std::to_string(limit)});
  std::vector<domain::SealedAuditEvent> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(SealedEventFromRow(r, i));
  return out;
}

}  // namespace onboard::db
