#include "caller.hpp"

#include "error.hpp"

namespace onboard::usecases {

domain::AuditEvent Caller::Audit(std::string action, std::string target_type, std::string target_id,
                                 std::string organisation) const {
  domain::AuditEvent e;
  e.actor.name = who;
  e.actor.role = std::string(domain::RoleName(role));
  e.actor.portal_user = portal_user;
  e.actor.request_id = request_id;
  e.actor.source_ip = source_ip;
  e.organisation = std::move(organisation);
  e.action = std::move(action);
  e.target_type = std::move(target_type);
  e.target_id = std::move(target_id);
  return e;
}

void Caller::RequireVisible(const std::string& orgno, const std::string& not_found) const {
  if (IsPortal() && organisation != orgno) {
    throw AppError(ErrorCode::kNotFound, not_found,
                   "portal org " + organisation + " asked for " + orgno);
  }
}

}  // namespace onboard::usecases
