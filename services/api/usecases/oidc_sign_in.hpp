#pragma once

#include <optional>
#include <string>

#include "crypto.hpp"
#include "error.hpp"
#include "oidc_relying_party.hpp"
#include "session.hpp"
#include "sessions.hpp"

namespace onboard::usecases {

/// How the relying party is set up (from `oidc.*`, wired in app/serve.cpp).
struct OidcSignInPolicy {
  std::string client_id;
  std::string redirect_uri;
  std::string scope = "openid profile";  ///< space-separated
  std::string after_sign_in_path = "/console/";
  std::string post_logout_redirect_uri;
  std::string display_name_claim = "name";
  int flow_ttl_s = 600;
  domain::IdTokenRules id_token;
  domain::OidcRoleMapping roles;
  /// Key of the PKCE verifiers (secrets.pepper: the same on every instance). Never logged.
  std::string server_key;
  /// session.sign_in_methods names "oidc": the console's sign-in page offers single sign-on.
  bool offered = true;
};

/// A started sign-in: where the browser goes, and the flow cookie's value that binds the
/// callback to this browser (kept only as a hash server-side).
struct StartedOidcSignIn {
  std::string authorization_url;
  crypto::SecretString binding;
};

/// What the provider sent back to the callback, plus the flow cookie.
struct OidcCallback {
  std::string state;
  std::string code;
  std::string error;  ///< the provider's `error` when it refused (access_denied...)
  std::string binding;
};

struct FinishedOidcSignIn {
  OpenedSession opened;
  std::string return_to;
};

/// Operators' OpenID Connect sign-in (issue #17): starts the authorization code flow (PKCE
/// S256, state, nonce; the flow recorded server-side, single use, short-lived) and finishes
/// it at the callback: the code exchanged, the ID token verified, the role read from the
/// configured claim, the console session opened for the person (Sessions::OpenForPerson,
/// actor `oidc:<iss>#<sub>`). Every refusal is audited (`session.sign_in`, outcome
/// refused, with its reason). Thread-safe.
class OidcSignIn {
 public:
  OidcSignIn(domain::OidcFlowStore& flows, domain::OidcProviderPort& provider, Sessions& sessions,
             domain::SessionStore& audit, OidcSignInPolicy policy)
      : flows_(flows),
        provider_(provider),
        sessions_(sessions),
        audit_(audit),
        policy_(std::move(policy)) {}

  /// Records a new flow and returns the provider's authorization URL. `return_to` is a path
  /// of this service (anything else falls back to after_sign_in_path). Throws
  /// AppError(kUnavailable) when the provider's discovery document cannot be had.
  StartedOidcSignIn Start(const std::string& return_to);

  /// Finishes the flow of `callback.state`. Throws AppError(kUnauthenticated) with codes
  /// oidc_state_invalid, oidc_state_used, oidc_flow_expired, oidc_flow_not_yours,
  /// oidc_provider_refused, oidc_code_refused, oidc_id_token_invalid; AppError(kForbidden,
  /// oidc_no_role) for a person without an operator or auditor value in the role claim;
  /// AppError(kUnavailable) when the provider cannot be reached.
  FinishedOidcSignIn Finish(const OidcCallback& callback, const SessionOrigin& origin);

  /// The provider's RP-initiated logout URL for a session this method opened, when the
  /// provider's discovery document names an end_session_endpoint.
  std::optional<std::string> EndSessionUrl(const domain::Session& session);

  /// Whether the console offers this sign-in (OidcSignInPolicy::offered).
  bool offered() const { return policy_.offered; }

 private:
  [[noreturn]] void Refuse(ErrorCode code, const std::string& code_name, const std::string& detail,
                           const std::string& internal, const std::string& actor,
                           const SessionOrigin& origin);

  domain::OidcFlowStore& flows_;
  domain::OidcProviderPort& provider_;
  Sessions& sessions_;
  domain::SessionStore& audit_;
  const OidcSignInPolicy policy_;
};

/// The single sign-on a start or callback runs: `*oidc` when it is configured (`oidc` is
/// null without oidc.issuer) and offered; AppError(kConflict, `sign_in_method_not_offered`)
/// otherwise (409, not 404: the route exists, the configuration does not offer it).
OidcSignIn& OfferedOidcSignIn(OidcSignIn* oidc);

}  // namespace onboard::usecases
