#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "access_token.hpp"
#include "audit_event.hpp"
#include "caller.hpp"
#include "roles.hpp"

namespace onboard::http {

/// The authenticated caller.
struct Caller {
  std::string token_id;
  std::string token_name;
  domain::Role role = domain::Role::kOperator;
  std::string portal_org;   ///< X-Onboard-Org, portal callers only
  std::string portal_user;  ///< X-Onboard-User, portal callers only
  /// A JWT access token (issue #17): the caller has the portal role and acts for the
  /// organisation of its `consumer` claim (portal_org; never a header) as its client
  /// (portal_user), with what its scopes grant.
  bool access_token = false;
  unsigned permissions = 0;  ///< domain::Permission bits on the own organisation's clients
  bool supplier = false;     ///< idporten:dcr.supplier: clients whose supplier_orgno it is
  std::vector<std::string> scopes;
  std::string session_id;    ///< set when the request was authenticated by a session cookie
  std::string display_name;  ///< session callers: the person's name
};

/// The token a request presented, as far as it was recognised (for counting refusals);
/// empty id: no known token.
struct PresentedToken {
  std::string id;
  std::string name;
  std::string role;
};

/// Everything a handler needs about one request. Owned by the request's thread.
struct RequestContext {
  Poco::Net::HTTPServerRequest& request;
  Poco::Net::HTTPServerResponse& response;
  std::string request_id;
  std::string route;  ///< the matched template, e.g. /v1/organisations/{orgno}
  std::map<std::string, std::string> params;
  std::optional<Caller> caller;
  std::string source_ip;
  std::chrono::steady_clock::time_point started;
  bool body_consumed = false;
  bool oauth_errors = false;  ///< render errors in the RFC 7591 shape
  int status = 0;
  PresentedToken presented;
  /// What the matched route needs from an access token (routes.cpp).
  domain::Permission permission = domain::Permission::kNone;

  const std::string& Param(const std::string& name) const { return params.at(name); }

  bool IsPortal() const { return caller && caller->role == domain::Role::kPortal; }

  /// An audit event prefilled with the caller, request id and source IP.
  domain::AuditEvent Audit(std::string action, std::string target_type, std::string target_id,
                           std::string organisation) const;

  /// Throws AppError(kNotFound, `not_found`) when a portal caller asks for another
  /// organisation's resource. Pass the same text the handler uses for a resource that
  /// does not exist, so the answer never hints that it does. No-op for other roles.
  void RequireOrgVisible(const std::string& orgno,
                         const std::string& not_found = "no such resource") const;

  /// The caller as the use cases see it (who, role, organisation, request id, source).
  /// Call only on an authenticated route (throws AppError(kInternal) otherwise).
  usecases::Caller UseCaseCaller() const;

  /// Query parameter or empty.
  std::string Query(const std::string& name) const;
};

}  // namespace onboard::http
