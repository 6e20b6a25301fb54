#pragma once

// The identity tests' peers (issue #17): a real OpenID provider (npm oidc-provider, its
// development login) on a loopback port that also issues JWT access tokens by
// client_credentials, a second issuer whose tokens npm `jose` mints with a key from a JWKS
// file, and onboard-api configured to trust both.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "e2e_helpers.hpp"
#include "e2e_journey.hpp"
#include "pki_fixtures.hpp"

namespace onboard::testsupport {

inline constexpr const char* kAccessTokenAudience = "https://onboard.test/";
inline constexpr const char* kJoseIssuer = "https://jose-issuer.test";

/// One access-token client at the provider: its consumer organisation.
struct IdpClient {
  std::string id;
  std::string secret;
  std::string orgno;
};

class IdentityRig {
 public:
  /// Starts the provider with `clients`, then onboard-api trusting it (issuer "idp") and
  /// the jose issuer (issuer "jose", JWKS file), with `extra_env` on top. `rp_clients` are
  /// more clients of the provider as oidc-provider metadata (JSON objects), e.g. onboard as
  /// the relying party of the operators' sign-in. "{idp}" in an `extra_env` value is replaced
  /// by the provider's issuer URL.
  IdentityRig(const std::vector<IdpClient>& clients,
              const std::map<std::string, std::string>& extra_env = {},
              const std::vector<std::string>& rp_clients = {});
  ~IdentityRig();

  ApiEnv& api() { return *api_; }
  const HttpClient& http() const { return *api_->http; }
  std::string issuer() const { return "http://127.0.0.1:" + std::to_string(idp_port_); }
  int idp_port() const { return idp_port_; }

  /// An access token of the provider for `client` with `scopes` (client_credentials).
  std::string IdpToken(const IdpClient& client, const std::string& scopes) const;
  /// An access token minted by npm jose for the jose issuer: `claims` replaces the
  /// defaults (iss, aud, iat, exp +120 s, client_id, consumer of `orgno`, scope).
  std::string JoseToken(const std::string& orgno, const std::string& scopes,
                        const std::string& extra_claims = "") const;

  /// Stops the provider (its JWKS endpoint goes away).
  void StopIdp();
  /// Starts the provider again on the same port; `rotate` deletes its keys first, so it
  /// signs with a new key (a new kid).
  void StartIdp(bool rotate);

  /// Authorization header for `token`.
  static Headers Bearer(const std::string& token, Headers more = {});

 private:
  std::string state_dir_;
  std::unique_ptr<ChildProcess> idp_;
  int idp_port_ = 0;
  pki::Key jose_key_;
  std::string jose_key_file_;
  std::unique_ptr<ApiEnv> api_;
};

// The journey steps the sign-in, browser and self-service tests share. Each step EXPECTs
// its answer, so a broken step names itself; a caller that cannot go on without the result
// checks HasFailure() (or the returned id) itself.

/// The URIs of client_fixtures' LoginClient, as a production order of it repeats them.
journey::ClientUris LoginClientUris();

/// POST /v1/clients as the operator: LoginClient(orgno, "Min side") with the front-channel
/// logout URI a production order needs. Its client_id ("" when it was not created).
std::string CreateOrderableLoginClient(ApiEnv& api, const std::string& orgno);

/// What POST /v1/terms may answer while a case is made ready: 201 only, or also 409 when
/// an earlier test of the suite published them already.
enum class TermsAnswer { kCreated, kCreatedOrAlreadyPublished };

/// An onboarding case of `orgno` ready for a production order of `client_id` (Ola
/// Nordmann its technical contact, everything "planned"): made by the operator, the client
/// linked, the terms published by the operator and accepted by the portal, and a verification
/// run passing every mandatory case entered by the portal. Its id ("" when not created).
std::string CaseReadyForOrder(ApiEnv& api, const std::string& orgno, const std::string& client_id,
                              TermsAnswer terms = TermsAnswer::kCreated);

}  // namespace onboard::testsupport
