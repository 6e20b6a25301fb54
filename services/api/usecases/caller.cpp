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

void Caller::RequireClientVisible(const std::string& client_orgno,
                                  const std::string& supplier_orgno,
                                  const std::string& not_found) const {
  if (!access_token) {
    RequireVisible(client_orgno, not_found);
    return;
  }
  if (supplier && !supplier_orgno.empty() && supplier_orgno == organisation) return;
  const unsigned need = domain::Bit(permission);
  if (client_orgno == organisation) {
    if ((permissions & need) == need) return;
    constexpr unsigned kReads = domain::Bit(domain::Permission::kClientsRead) |
                                domain::Bit(domain::Permission::kOnbehalfofRead);
    if ((permissions & kReads) != 0) {
      throw AppError(ErrorCode::kForbidden,
                     "this operation needs the scope " + domain::ScopesGranting(permission), "", {},
                     "insufficient_scope");
    }
  }
  throw AppError(ErrorCode::kNotFound, not_found,
                 "access token of " + organisation + " asked for a client of " + client_orgno);
}

bool Caller::MayOwn() const noexcept { return (permissions & domain::Bit(permission)) != 0; }

}  // namespace onboard::usecases
