// Operators' OpenID Connect sign-in over HTTP (issue #17). The success path and the flow's
// failures run against a real OpenID provider (npm oidc-provider, its development login
// driven over HTTP by oidc_login.mjs): PKCE S256 (the provider requires it), state, the
// flow cookie, single use, the role from the `groups` claim, RP-initiated logout, and the
// confidential client authenticating with client_secret_basic and with private_key_jwt.
// The ID-token checks run against the same provider: a wrong nonce through the real flow;
// another issuer, another audience, expired, an unknown key, alg none and HS256 with the
// public key as the secret by the provider's token answer altered once (provider.mjs
// POST /_tamper) after the real login and code exchange.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <chrono>
#include <sys/stat.h>

#include "child_process.hpp"
#include "client_fixtures.hpp"
#include "evidence.hpp"
#include "e2e_shared_suite.hpp"
#include "identity_rig.hpp"
#include "pki_fixtures.hpp"

namespace onboard::testsupport {
namespace {

const std::string kRpId = "onboard-console";
const std::string kRpSecret = "rp-secret-0123456789-abcdefghij";
// The provider redirects the browser here; the login driver stops at that redirect and
// the test replays its query at the real onboard-api (whose port the provider's client
// registration cannot know in advance).
const std::string kRedirect = "http://127.0.0.1:9/v1/sessions/oidc/callback";

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') throw std::runtime_error(std::string(name) + " is not set");
  return v;
}

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::map<std::string, std::string> QueryOf(const std::string& url) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : Poco::URI(url).getQueryParameters()) out[k] = v;
  return out;
}

std::vector<std::string> SetCookies(const HttpResponse& r) {
  std::vector<std::string> out;
  for (const auto& [k, v] : r.headers) {
    if (Poco::icompare(k, "Set-Cookie") == 0) out.push_back(v);
  }
  return out;
}

/// name=value of the Set-Cookie whose name contains `part` and that sets a value.
std::string CookieSet(const HttpResponse& r, const std::string& part) {
  for (const auto& c : SetCookies(r)) {
    const std::string pair = c.substr(0, c.find(';'));
    const auto eq = pair.find('=');
    if (pair.substr(0, eq).find(part) != std::string::npos && eq + 1 < pair.size()) return pair;
  }
  return "";
}

std::map<std::string, std::string> OidcEnv(const std::string& issuer) {
  evidence::RecordSecret(kRpSecret);
  return {{"ONBOARD_OIDC_ISSUER", issuer},
          {"ONBOARD_OIDC_PROVIDER_NAME", "Test IdP"},
          {"ONBOARD_OIDC_CLIENT_ID", kRpId},
          {"ONBOARD_OIDC_CLIENT_SECRET", kRpSecret},
          {"ONBOARD_OIDC_REDIRECT_URI", kRedirect},
          {"ONBOARD_OIDC_SCOPES", "openid,profile,groups"},
          {"ONBOARD_OIDC_OPERATOR_VALUES", "onboard-operators"},
          {"ONBOARD_OIDC_AUDITOR_VALUES", "onboard-auditors"},
          {"ONBOARD_SESSION_SIGN_IN_METHODS", "oidc,token"}};
}

/// A sign-in started at onboard-api: the provider URL it redirected to and the flow cookie.
struct Started {
  std::string location;
  std::string flow_cookie;
  std::map<std::string, std::string> query;
};

Started Start(const HttpClient& api, const std::string& path = "/v1/sessions/oidc/start") {
  const HttpResponse r = api.Get(path);
  EXPECT_EQ(r.status, 302) << r.Describe();
  Started s{r.Header("Location"), CookieSet(r, "oidc_flow"), QueryOf(r.Header("Location"))};
  EXPECT_FALSE(s.flow_cookie.empty()) << r.Describe();
  if (!s.flow_cookie.empty())
    evidence::RecordSecret(s.flow_cookie.substr(s.flow_cookie.find('=') + 1));
  return s;
}

HttpResponse Callback(const HttpClient& api, const std::string& path_and_query,
                      const std::string& cookie) {
  return api.Get(path_and_query, cookie.empty() ? Headers{} : Headers{{"Cookie", cookie}});
}

HttpResponse Current(const HttpClient& api, const std::string& session_cookie) {
  return api.Get("/v1/sessions/current", {{"Cookie", session_cookie}});
}

// ---------------------------------------------------------------------------------------
// The real provider.

std::string RpClientSecretBasic() {
  return R"({"client_id":")" + kRpId + R"(","client_secret":")" + kRpSecret +
         R"(","grant_types":["authorization_code"],"response_types":["code"],)"
         R"("redirect_uris":[")" +
         kRedirect + R"("],"post_logout_redirect_uris":[")" + kRedirect +
         R"("],"token_endpoint_auth_method":"client_secret_basic","scope":"openid profile groups"})";
}

template <class Config>
class ProviderSuite : public SharedRigSuite<ProviderSuite<Config>, IdentityRig> {
 public:
  static std::unique_ptr<IdentityRig> StartRig() {
    return std::make_unique<IdentityRig>(std::vector<IdpClient>{}, Config::Env(),
                                         std::vector<std::string>{Config::Client()});
  }

  static IdentityRig& rig() { return SharedRigSuite<ProviderSuite<Config>, IdentityRig>::rig(); }
  static const HttpClient& api() { return rig().http(); }

  /// Logs in at the provider as `login` and returns the callback's path and query.
  static std::string LoginAt(const Started& s, const std::string& login) {
    const CliResult r = RunProgram(
        {"/usr/bin/node", Env("ONBOARD_OIDC_LOGIN_JS"), s.location, login}, {"PATH=/usr/bin:/bin"});
    std::string url = r.out;
    while (!url.empty() && (url.back() == '\n' || url.back() == '\r')) url.pop_back();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(url.rfind(kRedirect + "?", 0), 0u) << url << r.err;
    return Poco::URI(url).getPathAndQuery();
  }

  /// The session.sign_in events with `outcome` of the provider's person `login`, as the
  /// operator's GET /v1/audit/events answers.
  static HttpResponse SignInEvents(const std::string& login, const std::string& outcome) {
    std::string actor;
    Poco::URI::encode("oidc:" + rig().issuer() + "#" + login, ":/#", actor);
    return rig().api().Op(
        "GET", "/v1/audit/events?action=session.sign_in&outcome=" + outcome + "&actor=" + actor);
  }

  /// A whole sign-in as `login`; the session cookie (name=value).
  static std::string SignIn(const std::string& login) {
    const Started s = Start(api());
    const HttpResponse r = Callback(api(), LoginAt(s, login), s.flow_cookie);
    EXPECT_EQ(r.status, 303) << r.Describe();
    return CookieSet(r, "onboard_session");
  }
};

struct SecretBasic {
  static std::map<std::string, std::string> Env() { return OidcEnv("{idp}"); }
  static std::string Client() { return RpClientSecretBasic(); }
};
using OidcSignIn = ProviderSuite<SecretBasic>;

TEST_F(OidcSignIn, TheConsoleIsToldWhichSignInMethodsAreOffered) {
  const HttpResponse r = api().Get("/v1/sessions/methods");
  ASSERT_EQ(r.status, 200) << r.Describe();
  const auto methods = r.json->getArray("methods");
  ASSERT_EQ(methods->size(), 2u);
  EXPECT_EQ(methods->getObject(0)->getValue<std::string>("method"), "oidc");
  EXPECT_EQ(methods->getObject(0)->getValue<std::string>("provider_name"), "Test IdP");
  EXPECT_EQ(methods->getObject(0)->getValue<std::string>("start_url"), "/v1/sessions/oidc/start");
  EXPECT_EQ(methods->getObject(1)->getValue<std::string>("method"), "token");
}

TEST_F(OidcSignIn, StartRedirectsWithPkceS256StateAndNonce) {
  const Started s = Start(api(), "/v1/sessions/oidc/start?return_to=/console/orders");
  EXPECT_EQ(s.location.rfind(rig().issuer() + "/auth?", 0), 0u) << s.location;
  EXPECT_EQ(s.query.at("response_type"), "code");
  EXPECT_EQ(s.query.at("client_id"), kRpId);
  EXPECT_EQ(s.query.at("redirect_uri"), kRedirect);
  EXPECT_EQ(s.query.at("scope"), "openid profile groups");
  EXPECT_EQ(s.query.at("code_challenge_method"), "S256");
  EXPECT_EQ(s.query.at("code_challenge").size(), 43u);
  EXPECT_GE(s.query.at("state").size(), 43u);
  EXPECT_GE(s.query.at("nonce").size(), 43u);
  const Started t = Start(api());
  EXPECT_NE(s.query.at("state"), t.query.at("state"));
  EXPECT_NE(s.query.at("nonce"), t.query.at("nonce"));
  EXPECT_NE(s.query.at("code_challenge"), t.query.at("code_challenge"));
  EXPECT_NE(s.flow_cookie, t.flow_cookie);
}

TEST_F(OidcSignIn, AnOperatorSignsInAtTheProviderAndGetsAConsoleSession) {
  const Started s = Start(api(), "/v1/sessions/oidc/start?return_to=/console/orders");
  const HttpResponse r = Callback(api(), LoginAt(s, "anna"), s.flow_cookie);
  ASSERT_EQ(r.status, 303) << r.Describe();
  EXPECT_EQ(r.Header("Location"), "/console/orders");
  const std::string cookie = CookieSet(r, "onboard_session");
  ASSERT_FALSE(cookie.empty()) << r.Describe();
  evidence::RecordSecret(cookie.substr(cookie.find('=') + 1));
  const HttpResponse me = Current(api(), cookie);
  ASSERT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(me.json->getValue<std::string>("method"), "oidc");
  EXPECT_EQ(me.json->getValue<std::string>("actor"), "oidc:" + rig().issuer() + "#anna");
  EXPECT_EQ(me.json->getValue<std::string>("display_name"), "Anna Operatør");
  EXPECT_EQ(me.json->getValue<std::string>("role"), "operator");
  // The session works as the operator on the API, and the sign-in is in the audit trail.
  const HttpResponse orgs = api().Get("/v1/organisations", {{"Cookie", cookie}});
  EXPECT_EQ(orgs.status, 200) << orgs.Describe();
  const HttpResponse audit = SignInEvents("anna", "success");
  ASSERT_EQ(audit.status, 200) << audit.Describe();
  EXPECT_NE(audit.body.find("\"success\""), std::string::npos) << audit.body;
}

TEST_F(OidcSignIn, AnAuditorGetsTheAuditorRole) {
  const std::string cookie = SignIn("aud");
  const HttpResponse me = Current(api(), cookie);
  ASSERT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(me.json->getValue<std::string>("role"), "auditor");
  EXPECT_EQ(api().Get("/v1/organisations", {{"Cookie", cookie}}).status, 403);
}

TEST_F(OidcSignIn, APersonWithoutAConfiguredGroupGetsNoSessionAndIsAudited) {
  const Started s = Start(api());
  const HttpResponse r = Callback(api(), LoginAt(s, "nobody"), s.flow_cookie);
  ExpectProblem(r, 403, "oidc_no_role");
  EXPECT_EQ(CookieSet(r, "onboard_session"), "");
  const HttpResponse audit = SignInEvents("nobody", "refused");
  ASSERT_EQ(audit.status, 200) << audit.Describe();
  EXPECT_NE(audit.body.find("oidc_no_role"), std::string::npos) << audit.body;
}

TEST_F(OidcSignIn, AWrongStateIsRefused) {
  const Started s = Start(api());
  std::string callback = LoginAt(s, "anna");
  const std::string state = s.query.at("state");
  callback.replace(callback.find(state), state.size(), state.substr(0, state.size() - 2) + "xy");
  const HttpResponse r = Callback(api(), callback, s.flow_cookie);
  ExpectProblem(r, 401, "oidc_state_invalid");
  EXPECT_EQ(CookieSet(r, "onboard_session"), "");
}

TEST_F(OidcSignIn, ACallbackWithoutTheBrowsersFlowCookieIsRefused) {
  const Started s = Start(api());
  const std::string callback = LoginAt(s, "anna");
  ExpectProblem(Callback(api(), callback, ""), 401, "oidc_flow_not_yours");
  // The flow is spent: the right browser coming later does not get in either.
  ExpectProblem(Callback(api(), callback, s.flow_cookie), 401, "oidc_state_used");
}

TEST_F(OidcSignIn, AReusedCodeIsRefused) {
  const Started s = Start(api());
  const std::string callback = LoginAt(s, "anna");
  ASSERT_EQ(Callback(api(), callback, s.flow_cookie).status, 303);
  const HttpResponse again = Callback(api(), callback, s.flow_cookie);
  ExpectProblem(again, 401, "oidc_state_used");
  EXPECT_EQ(CookieSet(again, "onboard_session"), "");
  // The same code under a fresh flow's state: the provider refuses it (used, and bound to
  // the first flow's PKCE challenge).
  const Started t = Start(api());
  const std::string code = QueryOf("http://x" + callback).at("code");
  const HttpResponse replay =
      Callback(api(), "/v1/sessions/oidc/callback?code=" + code + "&state=" + t.query.at("state"),
               t.flow_cookie);
  ExpectProblem(replay, 401, "oidc_code_refused");
}

TEST_F(OidcSignIn, TheProvidersRefusalIsRefused) {
  const Started s = Start(api());
  const HttpResponse r =
      Callback(api(), "/v1/sessions/oidc/callback?error=access_denied&state=" + s.query.at("state"),
               s.flow_cookie);
  ExpectProblem(r, 401, "oidc_provider_refused");
}

TEST_F(OidcSignIn, SignOutEndsTheSessionAndPointsTheBrowserToTheProvidersLogout) {
  const std::string cookie = SignIn("ola");
  const HttpResponse me = Current(api(), cookie);
  ASSERT_EQ(me.status, 200) << me.Describe();
  const HttpResponse out = api().Delete(
      "/v1/sessions/current",
      {{"Cookie", cookie}, {"X-CSRF-Token", me.json->getValue<std::string>("csrf_token")}});
  ASSERT_EQ(out.status, 200) << out.Describe();
  const std::string logout = out.json->getValue<std::string>("end_session_url");
  EXPECT_EQ(logout.rfind(rig().issuer() + "/session/end?", 0), 0u) << logout;
  EXPECT_EQ(QueryOf(logout).at("client_id"), kRpId);
  EXPECT_EQ(Current(api(), cookie).status, 401);
  // The provider knows the URL: its logout page answers (a confirmation form).
  HttpClient idp(rig().idp_port());
  EXPECT_EQ(idp.Get(Poco::URI(logout).getPathAndQuery()).status, 200);
}

/// name=value of `cookie` plus the session's CSRF token, for unsafe requests.
Headers SessionHeaders(const HttpClient& api, const std::string& cookie) {
  const HttpResponse me = Current(api, cookie);
  EXPECT_EQ(me.status, 200) << me.Describe();
  return {{"Cookie", cookie},
          {"X-CSRF-Token", me.json ? me.json->getValue<std::string>("csrf_token") : ""}};
}

TEST_F(OidcSignIn, FourEyesComparesPersonsNotSessions) {
  // An order ready for review, prepared with the operator's token.
  const std::string org = "974760673";
  rig().api().CreateOrg(org, "Etat " + org);
  const HttpResponse c =
      rig().api().Op("POST", "/v1/clients", Json(journey::OrderableClientBody(org)));
  ASSERT_EQ(c.status, 201) << c.Describe();
  const std::string client_id = c.json->getValue<std::string>("client_id");
  const std::string case_id = CaseReadyForOrder(rig().api(), org, client_id);
  ASSERT_FALSE(HasFailure()) << "the case is not ready for an order (see above)";

  // Anna enters the order in one session; in another session she is still Anna.
  const Headers anna = SessionHeaders(api(), SignIn("anna"));
  const Headers anna_again = SessionHeaders(api(), SignIn("anna"));
  const Headers ola = SessionHeaders(api(), SignIn("ola"));
  const Poco::JSON::Object order = journey::ProductionOrderBody(client_id);
  const HttpResponse ordered =
      api().Post("/v1/onboardings/" + case_id + "/production-orders", Json(order), anna);
  ASSERT_EQ(ordered.status, 201) << ordered.Describe();
  const std::string anna_actor = "oidc:" + rig().issuer() + "#anna";
  EXPECT_EQ(ordered.json->getObject("entered")->getValue<std::string>("by"), anna_actor);
  const std::string approve =
      "/v1/production-orders/" + ordered.json->getValue<std::string>("id") + "/approve";
  ExpectProblem(api().Request("POST", approve, anna_again), 403, "four_eyes");
  const HttpResponse approved = api().Request("POST", approve, ola);
  ASSERT_EQ(approved.status, 200) << approved.Describe();
  EXPECT_EQ(approved.json->getValue<std::string>("decided_by"), "oidc:" + rig().issuer() + "#ola");
}

// private_key_jwt: the same provider, a client that authenticates with a signed assertion.
struct PrivateKeyJwt {
  static const pki::Key& Key() {
    static const pki::Key key = pki::Key::Rsa(2048);
    return key;
  }
  static std::map<std::string, std::string> Env() {
    auto env = OidcEnv("{idp}");
    env.erase("ONBOARD_OIDC_CLIENT_SECRET");
    env["ONBOARD_OIDC_CLIENT_AUTH_METHOD"] = "private_key_jwt";
    const std::string file = pki::WriteTempFile("oidc-rp-key.pem", Key().PrivatePem());
    ::chmod(file.c_str(), 0600);
    env["ONBOARD_OIDC_PRIVATE_KEY_FILE"] = file;
    env["ONBOARD_OIDC_PRIVATE_KEY_KID"] = "rp-1";
    return env;
  }
  static std::string Client() {
    return R"({"client_id":")" + kRpId +
           R"(","grant_types":["authorization_code"],"response_types":["code"],)"
           R"("redirect_uris":[")" +
           kRedirect +
           R"("],"token_endpoint_auth_method":"private_key_jwt","token_endpoint_auth_signing_alg":"RS256",)"
           R"("jwks":{"keys":[)" +
           Key().PublicJwk("rp-1", "RS256") + R"(]}})";
  }
};
using OidcSignInPrivateKeyJwt = ProviderSuite<PrivateKeyJwt>;

TEST_F(OidcSignInPrivateKeyJwt, AnOperatorSignsInWithTheClientAuthenticatedByAnAssertion) {
  const std::string cookie = SignIn("anna");
  ASSERT_FALSE(cookie.empty());
  const HttpResponse me = Current(api(), cookie);
  ASSERT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(me.json->getValue<std::string>("role"), "operator");
  EXPECT_EQ(me.json->getValue<std::string>("actor"), "oidc:" + rig().issuer() + "#anna");
}

// ---------------------------------------------------------------------------------------
// The ID-token checks against the same real provider: a real login, the real code exchange
// (client_secret_basic, PKCE checked by the provider), then the provider is told (POST
// /_tamper, one token response) to alter the ID token it answers with. A control case
// re-signs the untouched claims with the provider's own key and gets in, so each refusal
// below comes from the one thing changed.

using OidcIdTokens = ProviderSuite<SecretBasic>;

/// A sign-in as anna whose token response carries an ID token re-signed by `mode` with
/// `claims` merged into the provider's real claims.
HttpResponse SignInTampered(const std::string& mode, const Poco::JSON::Object& claims) {
  const IdentityRig& rig = OidcIdTokens::rig();
  const Started s = Start(OidcIdTokens::api());
  const std::string callback = OidcIdTokens::LoginAt(s, "anna");
  Poco::JSON::Object tamper;
  tamper.set("mode", mode);
  tamper.set("claims", claims);
  std::ostringstream body;
  tamper.stringify(body);
  const HttpResponse told = HttpClient(rig.idp_port()).Post("/_tamper", body.str());
  EXPECT_EQ(told.status, 200) << told.Describe();
  return Callback(OidcIdTokens::api(), callback, s.flow_cookie);
}

void ExpectIdTokenRefused(const HttpResponse& r) {
  ExpectProblem(r, 401, "oidc_id_token_invalid");
  EXPECT_EQ(CookieSet(r, "onboard_session"), "") << r.Describe();
}

TEST_F(OidcIdTokens, TheProvidersClaimsResignedWithItsRsaOrEcKeyOpenASession) {
  for (const std::string mode : {"resign", "es256"}) {
    SCOPED_TRACE(mode);
    const HttpResponse r = SignInTampered(mode, Poco::JSON::Object());
    ASSERT_EQ(r.status, 303) << r.Describe();
    const HttpResponse me = Current(api(), CookieSet(r, "onboard_session"));
    ASSERT_EQ(me.status, 200) << me.Describe();
    EXPECT_EQ(me.json->getValue<std::string>("actor"), "oidc:" + rig().issuer() + "#anna");
  }
}

TEST_F(OidcIdTokens, AWrongNonceIsRefused) {
  // The browser arrives at the provider with another flow's nonce: the provider puts that
  // nonce in its (properly signed) ID token, and the flow the callback finishes expected its
  // own.
  Started s = Start(api());
  const std::string other = Start(api()).query.at("nonce");
  const std::string mine = s.query.at("nonce");
  s.location.replace(s.location.find("nonce=" + mine), 6 + mine.size(), "nonce=" + other);
  const HttpResponse r = Callback(api(), LoginAt(s, "anna"), s.flow_cookie);
  ExpectIdTokenRefused(r);
  const HttpResponse audit =
      rig().api().Op("GET", "/v1/audit/events?action=session.sign_in&outcome=refused");
  ASSERT_EQ(audit.status, 200) << audit.Describe();
  EXPECT_NE(audit.body.find("oidc_id_token_invalid"), std::string::npos) << audit.body;
}

TEST_F(OidcIdTokens, AnIdTokenOfAnotherIssuerIsRefused) {
  Poco::JSON::Object c;
  c.set("iss", "https://other-idp.test");
  ExpectIdTokenRefused(SignInTampered("resign", c));
}

TEST_F(OidcIdTokens, AnIdTokenForAnotherAudienceIsRefused) {
  Poco::JSON::Object c;
  c.set("aud", "another-client");
  c.set("azp", "another-client");
  ExpectIdTokenRefused(SignInTampered("resign", c));
}

TEST_F(OidcIdTokens, AnExpiredIdTokenIsRefused) {
  Poco::JSON::Object c;
  c.set("iat", Now() - 900);
  c.set("exp", Now() - 300);  // beyond the 30 s skew
  ExpectIdTokenRefused(SignInTampered("resign", c));
}

TEST_F(OidcIdTokens, AnIdTokenSignedWithAnUnknownKeyIsRefused) {
  ExpectIdTokenRefused(SignInTampered("unknown-key", Poco::JSON::Object()));
}

TEST_F(OidcIdTokens, AnUnsignedIdTokenWithAlgNoneIsRefused) {
  ExpectIdTokenRefused(SignInTampered("none", Poco::JSON::Object()));
}

TEST_F(OidcIdTokens, AnHs256IdTokenSignedWithThePublicKeyAsSecretIsRefused) {
  ExpectIdTokenRefused(SignInTampered("hs256-public", Poco::JSON::Object()));
}

}  // namespace
}  // namespace onboard::testsupport
