#include "access_tokens.hpp"

#include "http_fetch.hpp"

namespace onboard::identity {

std::unique_ptr<domain::AccessTokenVerifier> BuildAccessTokenVerifier(
    const AccessTokensConfig& config) {
  domain::IssuerKeysPolicy policy;
  policy.refresh = std::chrono::seconds(config.jwks_refresh_s);
  policy.min_interval = std::chrono::seconds(config.jwks_min_interval_s);
  policy.max_age = std::chrono::seconds(config.jwks_max_age_s);
  FetchOptions fetch;
  fetch.timeout_ms = config.jwks_timeout_ms;
  fetch.connect_timeout_ms = std::min(config.jwks_timeout_ms, 2000);
  std::vector<domain::AccessTokenIssuer> issuers;
  for (const auto& c : config.issuers) {
    std::unique_ptr<domain::JwksSource> source;
    if (c.jwks_file.empty())
      source = std::make_unique<UrlJwksSource>(c.jwks_uri, fetch);
    else
      source = std::make_unique<FileJwksSource>(c.jwks_file);
    domain::AccessTokenIssuer issuer;
    issuer.name = c.name;
    issuer.issuer = c.issuer;
    issuer.audiences = c.audiences;
    issuer.algs.clear();
    for (const auto& a : c.algs) {
      if (auto alg = domain::jose::AlgFromString(a)) issuer.algs.push_back(*alg);
    }
    issuer.keys = std::make_shared<domain::IssuerKeys>(c.name, std::move(source), policy);
    issuers.push_back(std::move(issuer));
  }
  return std::make_unique<domain::AccessTokenVerifier>(std::move(issuers), config.clock_skew_s);
}

}  // namespace onboard::identity
