#include "oidc_sign_in.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/URI.h>

#include <chrono>
#include <sstream>

namespace onboard::usecases {

namespace {

std::string Encode(const std::string& text) {
  std::string out;
  Poco::URI::encode(text, "!#$&'()*+,/:;=?@[]~", out);
  return out;
}

std::string Random256() { return crypto::Base64UrlEncode(crypto::RandomBytes(32)); }

std::string SafeReturnTo(const std::string& path, const std::string& fallback) {
  // A path of this service only: never "//host" or "/\host" (a browser reads both as
  // another host), never a scheme, no control characters.
  if (path.empty() || path.size() > 500 || path[0] != '/' ||
      (path.size() > 1 && (path[1] == '/' || path[1] == '\\')))
    return fallback;
  for (char c : path) {
    if (static_cast<unsigned char>(c) < 0x21 || c == '\\' || c == 0x7f) return fallback;
  }
  return path;
}

std::string ProviderErrorCode(const std::string& error) {
  std::string out;
  for (char c : error.substr(0, 60)) {
    if ((c >= 'a' && c <= 'z') || c == '_') out += c;
  }
  return out.empty() ? "unknown" : out;
}

std::string DisplayName(const Poco::JSON::Object& claims, const std::string& claim,
                        const std::string& fallback) {
  for (const std::string& name : {claim, std::string("name"), std::string("preferred_username")}) {
    if (claims.has(name) && claims.get(name).isString()) {
      std::string v = claims.get(name).extract<std::string>();
      if (!v.empty()) return v.substr(0, 200);
    }
  }
  return fallback.substr(0, 200);
}

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

OidcSignIn& OfferedOidcSignIn(OidcSignIn* oidc) {
  if (oidc == nullptr || !oidc->offered())
    throw AppError(ErrorCode::kConflict, "single sign-on is not configured here", "", {},
                   "sign_in_method_not_offered");
  return *oidc;
}

StartedOidcSignIn OidcSignIn::Start(const std::string& return_to) {
  const std::string endpoint = provider_.AuthorizationEndpoint();
  const std::string state = Random256();
  StartedOidcSignIn out;
  out.binding = crypto::SecretString(Random256());
  domain::OidcFlow flow;
  flow.state_hash = crypto::Sha256Hex(state);
  flow.binding_hash = crypto::Sha256Hex(out.binding.reveal());
  flow.nonce = Random256();
  flow.return_to = SafeReturnTo(return_to, policy_.after_sign_in_path);
  flows_.Create(flow, policy_.flow_ttl_s);
  const std::string challenge =
      domain::PkceChallenge(domain::PkceVerifier(policy_.server_key, state));
  out.authorization_url = endpoint + (endpoint.find('?') == std::string::npos ? "?" : "&") +
                          "response_type=code&client_id=" + Encode(policy_.client_id) +
                          "&redirect_uri=" + Encode(policy_.redirect_uri) +
                          "&scope=" + Encode(policy_.scope) + "&state=" + state +
                          "&nonce=" + flow.nonce + "&code_challenge=" + challenge +
                          "&code_challenge_method=S256";
  return out;
}

FinishedOidcSignIn OidcSignIn::Finish(const OidcCallback& cb, const SessionOrigin& origin) {
  const auto refuse_flow = [&](const char* code, const char* detail, const std::string& why) {
    Refuse(ErrorCode::kUnauthenticated, code, detail, why, "anonymous", origin);
  };
  if (cb.state.empty() || cb.state.size() > 200)
    refuse_flow("oidc_state_invalid", "the sign-in is not known here; start it again", "no state");
  const std::optional<domain::TakenOidcFlow> taken = flows_.Take(crypto::Sha256Hex(cb.state));
  if (!taken)
    refuse_flow("oidc_state_invalid", "the sign-in is not known here; start it again",
                "unknown state");
  if (taken->already_used)
    refuse_flow("oidc_state_used", "this sign-in has been used already; start it again",
                "state used before");
  if (taken->expired)
    refuse_flow("oidc_flow_expired", "the sign-in took too long; start it again", "flow expired");
  if (cb.binding.empty() ||
      !crypto::ConstantTimeEqual(crypto::Sha256Hex(cb.binding), taken->flow.binding_hash))
    refuse_flow("oidc_flow_not_yours",
                "the sign-in was started in another browser; start it again here",
                "flow cookie missing or not the flow's");
  if (!cb.error.empty())
    refuse_flow("oidc_provider_refused", "the identity provider did not sign you in",
                "provider error " + ProviderErrorCode(cb.error));
  if (cb.code.empty() || cb.code.size() > 2000)
    refuse_flow("oidc_code_refused", "the identity provider sent no usable code", "no code");

  domain::IdTokenClaims id;
  try {
    const domain::OidcTokenAnswer answer = provider_.ExchangeCode(
        cb.code, domain::PkceVerifier(policy_.server_key, cb.state), policy_.redirect_uri);
    try {
      id = domain::VerifyIdToken(answer.id_token, policy_.id_token, provider_.Keys(),
                                 taken->flow.nonce, Now());
    } catch (const domain::jwt::Refused& e) {
      refuse_flow("oidc_id_token_invalid", "the identity provider's answer was not valid",
                  std::string("id token: ") + e.what());
    }
  } catch (const domain::jwt::Refused& e) {
    refuse_flow("oidc_code_refused", "the identity provider did not accept the sign-in", e.what());
  }

  const std::string actor = domain::OidcActor(id.issuer, id.subject);
  const std::optional<domain::Role> role = domain::RoleFromClaims(*id.claims, policy_.roles);
  if (!role) {
    Refuse(ErrorCode::kForbidden, "oidc_no_role",
           "your account at the identity provider grants no role in the console",
           "no operator or auditor value in claim " + policy_.roles.claim, actor, origin);
  }
  PersonSignIn person;
  person.method = "oidc";
  person.actor = actor;
  person.display_name = DisplayName(*id.claims, policy_.display_name_claim, id.subject);
  person.role = *role;
  Poco::JSON::Object detail;
  detail.set("issuer", id.issuer);
  detail.set("subject", id.subject);
  detail.set("role_claim", policy_.roles.claim);
  std::ostringstream text;
  detail.stringify(text);
  person.detail_json = text.str();
  FinishedOidcSignIn out{sessions_.OpenForPerson(person, origin), taken->flow.return_to};
  return out;
}

std::optional<std::string> OidcSignIn::EndSessionUrl(const domain::Session& session) {
  if (session.method != "oidc") return std::nullopt;
  std::optional<std::string> endpoint;
  try {
    endpoint = provider_.EndSessionEndpoint();
  } catch (const AppError&) {
    return std::nullopt;  // the local session has ended all the same
  }
  if (!endpoint) return std::nullopt;
  std::string url = *endpoint + (endpoint->find('?') == std::string::npos ? "?" : "&") +
                    "client_id=" + Encode(policy_.client_id);
  if (!policy_.post_logout_redirect_uri.empty())
    url += "&post_logout_redirect_uri=" + Encode(policy_.post_logout_redirect_uri);
  return url;
}

void OidcSignIn::Refuse(ErrorCode code, const std::string& code_name, const std::string& detail,
                        const std::string& internal, const std::string& actor,
                        const SessionOrigin& origin) {
  domain::AuditEvent e;
  e.actor.name = actor;
  e.actor.role = "anonymous";
  e.actor.request_id = origin.request_id;
  e.actor.source_ip = origin.source_ip;
  e.action = "session.sign_in";
  e.target_type = "session";
  e.outcome = "refused";
  Poco::JSON::Object d;
  d.set("method", "oidc");
  d.set("reason", code_name);
  std::ostringstream text;
  d.stringify(text);
  e.detail_json = text.str();
  try {
    audit_.RecordEvent(e);
  } catch (const AppError&) {
    // The refusal stands even when its record cannot be written (the database is away).
  }
  throw AppError(code, detail, internal, {}, code_name);
}

}  // namespace onboard::usecases
