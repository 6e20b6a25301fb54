#include "request_context.hpp"

#include <Poco/URI.h>

#include "error.hpp"
#include "json_body.hpp"

namespace onboard::http {

domain::AuditEvent RequestContext::Audit(std::string action, std::string target_type,
                                         std::string target_id, std::string organisation) const {
  domain::AuditEvent e;
  if (caller) {
    e.actor.name = caller->token_name;
    e.actor.role = std::string(domain::RoleName(caller->role));
    e.actor.portal_user = caller->portal_user;
  }
  e.actor.request_id = request_id;
  e.actor.source_ip = source_ip;
  e.organisation = std::move(organisation);
  e.action = std::move(action);
  e.target_type = std::move(target_type);
  e.target_id = std::move(target_id);
  return e;
}

void RequestContext::RequireOrgVisible(const std::string& orgno,
                                       const std::string& not_found) const {
  if (IsPortal() && caller->portal_org != orgno) {
    throw AppError(ErrorCode::kNotFound, not_found,
                   "portal org " + caller->portal_org + " asked for " + orgno);
  }
}

void RequestContext::RequireClientVisible(const std::string& client_orgno,
                                          const std::string& supplier_orgno,
                                          const std::string& not_found) const {
  if (!caller || !caller->access_token) {
    RequireOrgVisible(client_orgno, not_found);
    return;
  }
  const std::string& org = caller->portal_org;
  if (caller->supplier && !supplier_orgno.empty() && supplier_orgno == org) return;
  const unsigned need = domain::Bit(permission);
  if (client_orgno == org) {
    if ((caller->permissions & need) == need) return;
    constexpr unsigned kReads = domain::Bit(domain::Permission::kClientsRead) |
                                domain::Bit(domain::Permission::kOnbehalfofRead);
    if ((caller->permissions & kReads) != 0) {
      throw AppError(ErrorCode::kForbidden,
                     "this operation needs the scope " + domain::ScopesGranting(permission), "", {},
                     "insufficient_scope");
    }
  }
  throw AppError(ErrorCode::kNotFound, not_found,
                 "access token of " + org + " asked for a client of " + client_orgno);
}

usecases::Caller RequestContext::UseCaseCaller() const {
  if (!caller) throw AppError(ErrorCode::kInternal, "internal error", "no caller on " + route);
  usecases::Caller c;
  c.token_id = caller->token_id;
  c.who = caller->token_name;
  c.role = caller->role;
  c.organisation = caller->portal_org;
  c.portal_user = caller->portal_user;
  c.request_id = request_id;
  c.source_ip = source_ip;
  c.access_token = caller->access_token;
  c.permissions = caller->permissions;
  c.supplier = caller->supplier;
  c.scopes = caller->scopes;
  c.permission = permission;
  return c;
}

std::string RequestContext::Query(const std::string& name) const {
  Poco::URI::QueryParameters parameters;
  try {
    parameters = Poco::URI(request.getURI()).getQueryParameters();
  } catch (const Poco::Exception& e) {
    throw AppError(ErrorCode::kBadRequest, "the query string is not valid percent-encoding",
                   e.displayText(), {}, "malformed_query");
  }
  for (const auto& [k, v] : parameters) {
    if (k != name) continue;
    if (!IsValidUtf8(v)) {
      throw AppError(ErrorCode::kBadRequest, "the query parameter " + name + " is not valid UTF-8",
                     "", {}, "malformed_query");
    }
    return v;
  }
  return {};
}

}  // namespace onboard::http
