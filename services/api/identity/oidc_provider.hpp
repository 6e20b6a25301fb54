#pragma once

#include <openssl/evp.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "config.hpp"
#include "http_fetch.hpp"
#include "oidc_relying_party.hpp"

namespace onboard::identity {

/// The operators' identity provider over libcurl (issue #17): its discovery document
/// (`<issuer>/.well-known/openid-configuration`, cached for oidc.discovery_refresh_s; a
/// failed refresh keeps the cached one), its JWKS (domain::IssuerKeys with the jwks_uri the
/// document names) and the code exchange as a confidential client (client_secret_basic,
/// or private_key_jwt with an RS256/ES256 client assertion). Thread-safe.
class OidcProvider final : public domain::OidcProviderPort {
 public:
  /// Throws std::runtime_error when the private key of private_key_jwt does not load.
  OidcProvider(const OidcConfig& config, const AccessTokensConfig& key_policy);
  ~OidcProvider() override;

  std::string AuthorizationEndpoint() override;
  std::optional<std::string> EndSessionEndpoint() override;
  domain::OidcTokenAnswer ExchangeCode(const std::string& code, const std::string& verifier,
                                       const std::string& redirect_uri) override;
  domain::IssuerKeys& Keys() override { return *keys_; }

  /// The discovery document's jwks_uri (fetching the document when needed).
  std::string JwksUri();

 private:
  struct Document {
    std::string authorization_endpoint;
    std::string token_endpoint;
    std::string jwks_uri;
    std::string end_session_endpoint;
  };
  Document Discover();
  std::string ClientAssertion(const std::string& audience) const;

  const OidcConfig& config_;
  FetchOptions fetch_;
  std::mutex mutex_;
  std::optional<Document> document_;
  std::chrono::steady_clock::time_point fetched_{};
  std::shared_ptr<EVP_PKEY> private_key_;
  std::string assertion_alg_;
  std::unique_ptr<domain::IssuerKeys> keys_;
};

/// Signs `signing_input` with `key` as JWS `alg` (RS256, or ES256 in the raw R||S form).
/// Throws std::runtime_error on an OpenSSL failure or a key that does not fit.
std::string SignJws(const std::string& alg, EVP_PKEY* key, const std::string& signing_input);

}  // namespace onboard::identity
