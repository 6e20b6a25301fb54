#pragma once

#include <memory>
#include <string>
#include <vector>

#include "error.hpp"
#include "provider_service.hpp"

/// What the provider runtime asks of onboard (the `provider` role): a client's runtime
/// configuration and the check of a token request's client authentication.
namespace onboard::usecases {

/// POST /v1/provider/authenticate, as the handler read it.
struct ProviderAuthentication {
  ClientAuthInput input;
  std::vector<FieldError> input_errors;  ///< what the parser could not read (types, sizes)
};

/// The authenticated client and method, or the RFC 6749 error the provider passes on.
struct ProviderAuthAnswer {
  bool authenticated = false;
  ClientAuthOutcome outcome;  ///< when authenticated
  std::string error;          ///< invalid_request or invalid_client, when not
  std::string description;
};

/// GET /v1/provider/clients/{client_id}: the cached snapshot (its `document` and `etag`).
struct ProviderClientDocument {
  std::shared_ptr<const domain::ClientRuntime> runtime;
  bool not_modified = false;  ///< If-None-Match named its ETag (or *)
};

/// Thread-safe (ProviderService is).
class ProviderRuntime {
 public:
  explicit ProviderRuntime(ProviderService& service) : service_(service) {}

  /// One kValidation with the input errors and, when no audience or an empty one is named,
  /// `audience` required (the issuer or token endpoint the assertion must be for); then the
  /// check itself. A failed check is an answer, not an exception; AppError(kUnavailable)
  /// when the replay store cannot be reached (fails closed).
  ProviderAuthAnswer Authenticate(const ProviderAuthentication& command);

  /// kNotFound "no such client" when there is none.
  ProviderClientDocument Client(const std::string& client_id, const std::string& if_none_match);

 private:
  ProviderService& service_;
};

}  // namespace onboard::usecases
