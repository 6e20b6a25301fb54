#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "access_token.hpp"
#include "audit_event.hpp"
#include "caller.hpp"
#include "identity.hpp"
#include "roles.hpp"

namespace onboard::http {

/// The authenticated caller, and the token a request presented (usecases/identity.hpp).
using Caller = usecases::Identity;
using PresentedToken = usecases::PresentedToken;

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

  /// The caller as the use cases see it (who, role, organisation, request id, source).
  /// Call only on an authenticated route (throws AppError(kInternal) otherwise).
  usecases::Caller UseCaseCaller() const;

  /// The query's parameters in order, decoded; AppError(kBadRequest, `malformed_query`) for a
  /// query string that is not valid percent-encoding.
  std::vector<std::pair<std::string, std::string>> QueryParameters() const;
  /// Query parameter or empty.
  std::string Query(const std::string& name) const;
};

}  // namespace onboard::http
