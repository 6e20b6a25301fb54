#pragma once

#include <Poco/Net/HTTPServerRequest.h>

#include "identity.hpp"
#include "request_context.hpp"

namespace onboard::http {

/// The bearer-token side of a request: reads `Authorization: Bearer` and the portal
/// headers (X-Onboard-Org, X-Onboard-User) and asks usecases::TokenAuthenticator (the token
/// kinds, the cache, the portal's organisation: usecases/identity.hpp) who the caller is.
/// Thread-safe.
class Authenticator : public usecases::TokenAuthenticator {
 public:
  using TokenAuthenticator::Authenticate;
  using TokenAuthenticator::TokenAuthenticator;

  /// The caller, or AppError(kUnauthenticated, `missing_token`) without a bearer token;
  /// otherwise as usecases::TokenAuthenticator::Authenticate.
  Caller Authenticate(const Poco::Net::HTTPServerRequest& request,
                      PresentedToken* presented = nullptr);
};

}  // namespace onboard::http
