#include "access_token.hpp"

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <sstream>

#include "orgno.hpp"

namespace onboard::domain {

namespace {

constexpr unsigned kAll = Bit(Permission::kClientsRead) | Bit(Permission::kClientsModify) |
                          Bit(Permission::kClientsCreate) | Bit(Permission::kClientsDeactivate) |
                          Bit(Permission::kCredentials) | Bit(Permission::kOnbehalfofRead) |
                          Bit(Permission::kOnbehalfofWrite);

struct ScopeGrant {
  std::string_view scope;
  unsigned permissions;
};
// The provider's table: dcr.read reads, dcr.modify changes existing clients, dcr.write
// creates, changes, deactivates and manages credentials; all three read onbehalfof entries.
const ScopeGrant kScopeGrants[] = {
    {kScopeRead, Bit(Permission::kClientsRead) | Bit(Permission::kOnbehalfofRead)},
    {kScopeModify, Bit(Permission::kClientsRead) | Bit(Permission::kClientsModify) |
                       Bit(Permission::kOnbehalfofRead)},
    {kScopeWrite, kAll},
    {kScopeOnbehalfofWrite, Bit(Permission::kOnbehalfofRead) | Bit(Permission::kOnbehalfofWrite)},
};

std::vector<std::string> SplitScopes(const Poco::JSON::Object& claims) {
  std::vector<std::string> out;
  const std::string text = jwt::StringClaim(claims, "scope");
  std::istringstream in(text);
  for (std::string s; in >> s;) out.push_back(s);
  return out;
}

}  // namespace

unsigned PermissionsForScopes(const std::vector<std::string>& scopes) {
  unsigned out = 0;
  for (const auto& s : scopes) {
    for (const auto& g : kScopeGrants) {
      if (s == g.scope) out |= g.permissions;
    }
  }
  return out;
}

std::string ScopesGranting(Permission p) {
  std::string out;
  for (const auto& g : kScopeGrants) {
    if ((g.permissions & Bit(p)) == 0) continue;
    out += (out.empty() ? "" : " or ") + std::string(g.scope);
  }
  return out;
}

std::string OrgnoFromConsumer(const Poco::Dynamic::Var& consumer) {
  std::string id;
  if (consumer.isString()) {
    id = consumer.extract<std::string>();
  } else if (consumer.type() == typeid(Poco::JSON::Object::Ptr)) {
    const auto& o = *consumer.extract<Poco::JSON::Object::Ptr>();
    if (o.has("authority") && o.get("authority").isString() &&
        o.get("authority").extract<std::string>() != "iso6523-actorid-upis")
      return {};
    if (o.has("ID") && o.get("ID").isString()) id = o.get("ID").extract<std::string>();
  }
  constexpr std::string_view kPrefix = "0192:";
  if (id.size() != kPrefix.size() + 9 || id.compare(0, kPrefix.size(), kPrefix) != 0) return {};
  const std::string orgno = id.substr(kPrefix.size());
  return IsValidOrgno(orgno) ? orgno : std::string();
}

Grant AccessTokenVerifier::Verify(std::string_view token, int64_t now) const {
  const jwt::Parts parts = jwt::Parse(token);
  // The issuer is read before the signature only to pick its keys and rules.
  const std::string iss = jwt::StringClaim(*parts.claims, "iss");
  const AccessTokenIssuer* issuer = nullptr;
  for (const auto& i : issuers_) {
    if (i.issuer == iss) issuer = &i;
  }
  if (issuer == nullptr) throw jwt::Refused("the token's issuer '" + iss + "' is not trusted");
  if (jwt::IsForbiddenAlg(parts.alg)) throw jwt::Refused("alg '" + parts.alg + "' is refused");
  const auto alg = jose::AlgFromString(parts.alg);
  if (!alg || std::find(issuer->algs.begin(), issuer->algs.end(), *alg) == issuer->algs.end())
    throw jwt::Refused("alg '" + parts.alg + "' is not accepted from " + issuer->name);
  if (!parts.typ.empty() && parts.typ != "at+jwt" && parts.typ != "application/at+jwt" &&
      parts.typ != "JWT") {
    throw jwt::Refused("typ '" + parts.typ + "' is not an access token");
  }

  const std::vector<IssuerKey> candidates = issuer->keys->Candidates(parts.kid);
  if (candidates.empty()) throw jwt::Refused("no key of " + issuer->name + " has kid " + parts.kid);
  if (!VerifiedByAny(candidates, *alg, parts.alg, parts.signing_input, parts.signature))
    throw jwt::Refused("the signature does not verify with the keys of " + issuer->name);

  const auto& c = *parts.claims;
  const auto audiences = jwt::Audiences(c);
  const bool aud_ok = std::any_of(audiences.begin(), audiences.end(), [&](const std::string& a) {
    return std::find(issuer->audiences.begin(), issuer->audiences.end(), a) !=
           issuer->audiences.end();
  });
  if (!aud_ok) throw jwt::Refused("aud does not name this service");
  const auto exp = jwt::TimeClaim(c, "exp");
  const auto nbf = jwt::TimeClaim(c, "nbf");
  const auto iat = jwt::TimeClaim(c, "iat");
  if (!exp) throw jwt::Refused("the token has no exp");
  if (*exp + skew_s_ <= now) throw jwt::Refused("the token has expired");
  if (nbf && *nbf > now + skew_s_) throw jwt::Refused("the token is not valid yet (nbf)");
  if (iat && *iat > now + skew_s_) throw jwt::Refused("the token was issued in the future (iat)");

  Grant g;
  g.issuer_name = issuer->name;
  g.issuer = iss;
  g.subject = jwt::StringClaim(c, "sub");
  g.client_id = jwt::StringClaim(c, "client_id");
  if (g.client_id.empty()) g.client_id = g.subject;
  if (g.client_id.empty()) throw jwt::Refused("the token names neither client_id nor sub");
  if (!c.has("consumer")) throw jwt::Refused("the token has no consumer claim");
  g.orgno = OrgnoFromConsumer(c.get("consumer"));
  if (g.orgno.empty())
    throw jwt::Refused("the consumer claim is not an ISO 6523 0192:<orgno> with a valid number");
  g.scopes = SplitScopes(c);
  g.permissions = PermissionsForScopes(g.scopes);
  g.supplier = std::find(g.scopes.begin(), g.scopes.end(), kScopeSupplier) != g.scopes.end();
  g.expires_at = *exp;
  return g;
}

}  // namespace onboard::domain
