#include "audit_event.hpp"

#include "crypto.hpp"

namespace onboard::domain {

namespace {
void Put(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.push_back('=');
  out.append(std::to_string(value.size()));
  out.push_back(':');
  out.append(value);
  out.push_back('\n');
}
}  // namespace

std::string CanonicalAuditEncoding(const SealedAuditEvent& e) {
  std::string out;
  out.reserve(512 + e.event.detail_json.size());
  Put(out, "v", "1");
  Put(out, "seq", std::to_string(e.seq));
  Put(out, "occurred_at_us", std::to_string(e.occurred_at_us));
  Put(out, "actor", e.event.actor.name);
  Put(out, "role", e.event.actor.role);
  Put(out, "portal_user", e.event.actor.portal_user);
  Put(out, "request_id", e.event.actor.request_id);
  Put(out, "source_ip", e.event.actor.source_ip);
  Put(out, "organisation", e.event.organisation);
  Put(out, "action", e.event.action);
  Put(out, "target_type", e.event.target_type);
  Put(out, "target_id", e.event.target_id);
  Put(out, "outcome", e.event.outcome);
  Put(out, "detail", e.event.detail_json);
  Put(out, "prev_hash", e.prev_hash);
  return out;
}

std::string ComputeAuditHash(const SealedAuditEvent& e) {
  return crypto::Sha256Hex(CanonicalAuditEncoding(e));
}

}  // namespace onboard::domain
