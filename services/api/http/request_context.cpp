#include "request_context.hpp"

#include <Poco/URI.h>

#include "error.hpp"
#include "client_metadata.hpp"

namespace onboard::http {

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

std::vector<std::pair<std::string, std::string>> RequestContext::QueryParameters() const {
  try {
    return Poco::URI(request.getURI()).getQueryParameters();
  } catch (const Poco::Exception& e) {
    throw AppError(ErrorCode::kBadRequest, "the query string is not valid percent-encoding",
                   e.displayText(), {}, "malformed_query");
  }
}

std::string RequestContext::Query(const std::string& name) const {
  for (const auto& [k, v] : QueryParameters()) {
    if (k != name) continue;
    if (!domain::IsValidUtf8(v)) {
      throw AppError(ErrorCode::kBadRequest, "the query parameter " + name + " is not valid UTF-8",
                     "", {}, "malformed_query");
    }
    return v;
  }
  return {};
}

}  // namespace onboard::http
