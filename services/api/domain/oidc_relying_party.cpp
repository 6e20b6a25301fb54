#include "oidc_relying_party.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <sstream>

#include "crypto.hpp"

namespace onboard::domain {

namespace {

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::vector<std::string> ClaimValues(const Poco::JSON::Object& claims, const std::string& name) {
  std::vector<std::string> out;
  if (!claims.has(name)) return out;
  const Poco::Dynamic::Var v = claims.get(name);
  if (v.isString()) {
    std::istringstream in(v.extract<std::string>());
    for (std::string s; in >> s;) out.push_back(s);
  } else if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
    const auto& a = *v.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a.get(static_cast<unsigned>(i)).isString())
        out.push_back(a.get(static_cast<unsigned>(i)).extract<std::string>());
    }
  }
  return out;
}

}  // namespace

IdTokenClaims VerifyIdToken(std::string_view token, const IdTokenRules& rules, IssuerKeys& keys,
                            const std::string& nonce, int64_t now) {
  const jwt::Parts parts = jwt::Parse(token);
  if (jwt::IsForbiddenAlg(parts.alg)) throw jwt::Refused("alg '" + parts.alg + "' is refused");
  const auto alg = jose::AlgFromString(parts.alg);
  if (!alg || std::find(rules.algs.begin(), rules.algs.end(), *alg) == rules.algs.end())
    throw jwt::Refused("alg '" + parts.alg + "' is not accepted for ID tokens");
  const auto& c = *parts.claims;
  // The issuer is compared before the keys are asked, so a token of another issuer never
  // makes this service fetch anything.
  const std::string iss = jwt::StringClaim(c, "iss");
  if (iss != rules.issuer) throw jwt::Refused("iss '" + iss + "' is not the configured issuer");

  const std::vector<IssuerKey> candidates = keys.Candidates(parts.kid);
  if (candidates.empty())
    throw jwt::Refused("no key of the identity provider has kid " + parts.kid);
  if (!VerifiedByAny(candidates, *alg, parts.alg, parts.signing_input, parts.signature))
    throw jwt::Refused("the ID token's signature does not verify");

  const std::vector<std::string> aud = jwt::Audiences(c);
  if (!Contains(aud, rules.client_id)) throw jwt::Refused("aud does not name this client");
  const std::string azp = jwt::StringClaim(c, "azp");
  if (aud.size() > 1 && azp != rules.client_id)
    throw jwt::Refused("aud names other parties and azp is not this client");
  if (!azp.empty() && azp != rules.client_id) throw jwt::Refused("azp is another client");
  const auto exp = jwt::TimeClaim(c, "exp");
  const auto iat = jwt::TimeClaim(c, "iat");
  if (!exp || !iat) throw jwt::Refused("the ID token lacks exp or iat");
  if (*exp + rules.skew_s <= now) throw jwt::Refused("the ID token has expired");
  if (*iat > now + rules.skew_s) throw jwt::Refused("the ID token was issued in the future");
  if (*iat + rules.max_age_s + rules.skew_s < now) throw jwt::Refused("the ID token is too old");
  const std::string token_nonce = jwt::StringClaim(c, "nonce");
  if (token_nonce.empty() || !crypto::ConstantTimeEqual(token_nonce, nonce))
    throw jwt::Refused("the ID token's nonce is not the flow's");
  IdTokenClaims out;
  out.issuer = iss;
  out.subject = jwt::StringClaim(c, "sub");
  if (out.subject.empty() || out.subject.size() > 255)
    throw jwt::Refused("the ID token has no usable sub");
  out.claims = parts.claims;
  return out;
}

std::optional<Role> RoleFromClaims(const Poco::JSON::Object& claims, const OidcRoleMapping& map) {
  const std::vector<std::string> values = ClaimValues(claims, map.claim);
  const auto any_of = [&](const std::vector<std::string>& wanted) {
    return std::any_of(values.begin(), values.end(),
                       [&](const std::string& v) { return Contains(wanted, v); });
  };
  if (any_of(map.operator_values)) return Role::kOperator;
  if (any_of(map.auditor_values)) return Role::kAuditor;
  return std::nullopt;
}

std::string PkceVerifier(std::string_view server_key, std::string_view state) {
  return crypto::Base64UrlEncode(
      crypto::HmacSha256(server_key, std::string("onboard-oidc-pkce-v1:") + std::string(state)));
}

std::string PkceChallenge(std::string_view verifier) {
  return crypto::Base64UrlEncode(crypto::Sha256(verifier));
}

std::string OidcActor(const std::string& issuer, const std::string& subject) {
  return "oidc:" + issuer + "#" + subject;
}

}  // namespace onboard::domain
