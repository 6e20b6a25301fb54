// Console sessions (issue #16): a personal token exchanged for a cookie, stored hashed,
// CSRF-protected, timed out, ended server-side, audited; against the real onboard-api and
// PostgreSQL.
#include <Poco/JSON/Parser.h>

#include "crypto.hpp"
#include "e2e_helpers.hpp"
#include "evidence.hpp"

namespace onboard::testsupport {
namespace {

using SessionsApi = ApiSuite<DefaultConfig>;

struct SignedIn {
  std::string cookie;  ///< "name=value" for the Cookie header
  std::string secret;
  std::string csrf;
  std::string set_cookie;
  HttpResponse response;
};

SignedIn SignIn(const ApiEnv& env, const std::string& token) {
  SignedIn out;
  out.response = env.http->Post("/v1/sessions", R"({"token":")" + token + R"("})");
  out.set_cookie = out.response.Header("Set-Cookie");
  const std::size_t eq = out.set_cookie.find('=');
  const std::size_t semi = out.set_cookie.find(';');
  if (out.response.status == 201 && eq != std::string::npos && semi != std::string::npos) {
    out.cookie = out.set_cookie.substr(0, semi);
    out.secret = out.set_cookie.substr(eq + 1, semi - eq - 1);
    out.csrf = out.response.json->getValue<std::string>("csrf_token");
    evidence::RecordSecret(out.secret);
    evidence::RecordSecret(out.csrf);
  }
  return out;
}

Headers WithCookie(const SignedIn& s, Headers more = {}) {
  more.push_back({"Cookie", s.cookie});
  return more;
}

std::string LastEvent(const ApiEnv& env, const std::string& column) {
  return QueryScalar(env.db->url(),
                     "SELECT " + column + " FROM audit_events ORDER BY seq DESC LIMIT 1")
      .value_or("");
}

TEST_F(SessionsApi, AnOperatorTokenOpensASessionWithAHostOnlyHttpOnlyStrictCookie) {
  const SignedIn s = SignIn(env(), env().op.secret);
  ASSERT_EQ(s.response.status, 201) << s.response.Describe();
  EXPECT_EQ(s.set_cookie.rfind("__Host-onboard_session=onbs_", 0), 0u) << s.set_cookie;
  for (const char* attribute :
       {"; Path=/", "; HttpOnly", "; SameSite=Strict", "; Secure", "; Max-Age=43200"}) {
    EXPECT_NE(s.set_cookie.find(attribute), std::string::npos) << attribute << ": " << s.set_cookie;
  }
  EXPECT_EQ(s.set_cookie.find("Domain"), std::string::npos) << s.set_cookie;
  EXPECT_EQ(s.response.json->getValue<std::string>("role"), "operator");
  EXPECT_EQ(s.response.json->getValue<std::string>("actor"), "e2e-operator");
  EXPECT_EQ(s.response.json->getValue<std::string>("method"), "token");
  EXPECT_EQ(s.response.json->getValue<int>("idle_timeout_s"), 1800);
  EXPECT_GE(s.csrf.size(), 40u);
  EXPECT_EQ(s.response.body.find(s.secret), std::string::npos) << "the body repeats the cookie";

  // Who am I: the same session and CSRF token; the cookie authenticates API calls.
  const HttpResponse me = env().http->Get("/v1/sessions/current", WithCookie(s));
  ASSERT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(me.json->getValue<std::string>("id"), s.response.json->getValue<std::string>("id"));
  EXPECT_EQ(me.json->getValue<std::string>("csrf_token"), s.csrf);
  EXPECT_EQ(env().http->Get("/v1/organisations", WithCookie(s)).status, 200);

  // Stored hashed: neither the cookie nor the CSRF token is in any column.
  const std::string url = env().db->url();
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM sessions WHERE secret_hash = '" +
                              crypto::Sha256Hex(s.secret) + "'"),
            1);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM sessions s WHERE s::text LIKE '%" +
                              s.secret.substr(5) + "%' OR s::text LIKE '%" + s.csrf + "%'"),
            0);
  // Audited without either.
  const std::string action =
      QueryScalar(url,
                  "SELECT action || ' ' || outcome || ' ' || actor FROM audit_events "
                  "WHERE target_id = '" +
                      s.response.json->getValue<std::string>("id") + "'")
          .value_or("");
  EXPECT_EQ(action, "session.sign_in success e2e-operator");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM audit_events WHERE detail LIKE '%" +
                              s.secret.substr(5) + "%' OR detail LIKE '%" + s.csrf + "%'"),
            0);
}

TEST_F(SessionsApi, AnUnsafeRequestWithTheCookieButWithoutTheCsrfTokenGets403) {
  const SignedIn s = SignIn(env(), env().op.secret);
  ASSERT_EQ(s.response.status, 201) << s.response.Describe();
  const std::string orgno = ValidOrgno(101);
  const std::string body = OrgBody(orgno, "Csrf AS");
  ExpectProblem(env().http->Post("/v1/organisations", body, WithCookie(s)), 403,
                "csrf_token_invalid");
  ExpectProblem(
      env().http->Post("/v1/organisations", body, WithCookie(s, {{"X-CSRF-Token", "wrong"}})), 403,
      "csrf_token_invalid");
  // Another session's token does not fit this one.
  const SignedIn other = SignIn(env(), env().op.secret);
  ASSERT_EQ(other.response.status, 201);
  ExpectProblem(
      env().http->Post("/v1/organisations", body, WithCookie(s, {{"X-CSRF-Token", other.csrf}})),
      403, "csrf_token_invalid");
  EXPECT_EQ(env().Op("GET", "/v1/organisations/" + orgno).status, 404) << "a refused write wrote";
  const HttpResponse ok =
      env().http->Post("/v1/organisations", body, WithCookie(s, {{"X-CSRF-Token", s.csrf}}));
  ASSERT_EQ(ok.status, 201) << ok.Describe();
  // The session's actor is the token's name: audit trail and four eyes see the same person.
  EXPECT_EQ(LastEvent(env(), "actor"), "e2e-operator");
  EXPECT_EQ(LastEvent(env(), "action"), "organisation.create");
}

TEST_F(SessionsApi, SignOutEndsTheSessionServerSideAndTheOldCookieGets401) {
  const SignedIn s = SignIn(env(), env().op.secret);
  ASSERT_EQ(s.response.status, 201) << s.response.Describe();
  ExpectProblem(env().http->Delete("/v1/sessions/current", WithCookie(s)), 403,
                "csrf_token_invalid");
  const HttpResponse out =
      env().http->Delete("/v1/sessions/current", WithCookie(s, {{"X-CSRF-Token", s.csrf}}));
  ASSERT_EQ(out.status, 204) << out.Describe();
  EXPECT_EQ(out.Header("Set-Cookie").rfind("__Host-onboard_session=;", 0), 0u)
      << out.Header("Set-Cookie");
  EXPECT_NE(out.Header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(LastEvent(env(), "action"), "session.sign_out");
  ExpectProblem(env().http->Get("/v1/sessions/current", WithCookie(s)), 401, "invalid_session");
  ExpectProblem(env().http->Get("/v1/organisations", WithCookie(s)), 401, "invalid_session");
}

TEST_F(SessionsApi, PortalAndProviderTokensCannotOpenSessionsAndEveryRefusalIsAudited) {
  const std::string url = env().db->url();
  for (const TestToken* t : {&env().portal, &env().provider}) {
    const int64_t before = env().db->AuditCount();
    const SignedIn s = SignIn(env(), t->secret);
    ExpectProblem(s.response, 403, "role_may_not_sign_in");
    EXPECT_FALSE(s.response.HasHeader("Set-Cookie"));
    EXPECT_EQ(env().db->AuditCount(), before + 1);
    EXPECT_EQ(LastEvent(env(), "action || ' ' || outcome || ' ' || actor"),
              "session.sign_in refused " + t->name);
    EXPECT_NE(LastEvent(env(), "detail").find("role_not_allowed"), std::string::npos);
  }
  ExpectProblem(SignIn(env(), "onb_" + std::string(43, 'A')).response, 401, "invalid_token");
  EXPECT_NE(LastEvent(env(), "detail").find("unknown_token"), std::string::npos);
  EXPECT_EQ(LastEvent(env(), "outcome"), "refused");
  ExpectProblem(SignIn(env(), "not-a-token").response, 401, "invalid_token");
  EXPECT_NE(LastEvent(env(), "detail").find("malformed_token"), std::string::npos);
  ExpectProblem(env().http->Post("/v1/sessions", "{}"), 400, "validation_failed");
  EXPECT_EQ(
      QueryInt(url, "SELECT count(*) FROM sessions WHERE role NOT IN ('operator', 'auditor')"), 0);
}

TEST_F(SessionsApi, AnAuditorSessionReadsTheAuditTrailButNoOperatorRoute) {
  const SignedIn s = SignIn(env(), env().auditor.secret);
  ASSERT_EQ(s.response.status, 201) << s.response.Describe();
  EXPECT_EQ(s.response.json->getValue<std::string>("role"), "auditor");
  EXPECT_EQ(env().http->Get("/v1/audit/events?limit=5", WithCookie(s)).status, 200);
  // The monthly report page works with the cookie alone (a browser cannot add a header).
  const HttpResponse report =
      env().http->Get("/v1/audit/reports/monthly?month=2026-01&format=html", WithCookie(s));
  EXPECT_EQ(report.status, 200) << report.Describe();
  ExpectProblem(env().http->Get("/v1/organisations", WithCookie(s)), 403, "");
  ExpectProblem(env().http->Post("/v1/organisations", OrgBody(ValidOrgno(102), "Aud AS"),
                                 WithCookie(s, {{"X-CSRF-Token", s.csrf}})),
                403, "");
}

TEST_F(SessionsApi, IdleAndAbsoluteTimeoutsEndASessionByTheDatabaseClock) {
  const SignedIn idle = SignIn(env(), env().op.secret);
  const SignedIn absolute = SignIn(env(), env().op.secret);
  ASSERT_EQ(idle.response.status, 201);
  ASSERT_EQ(absolute.response.status, 201);
  const std::string url = env().db->url();
  ExecSql(url, "UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE id = '" +
                   idle.response.json->getValue<std::string>("id") + "'");
  ExecSql(url, "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = '" +
                   absolute.response.json->getValue<std::string>("id") + "'");
  ExpectProblem(env().http->Get("/v1/organisations", WithCookie(idle)), 401, "session_expired");
  ExpectProblem(env().http->Get("/v1/organisations", WithCookie(absolute)), 401, "session_expired");
  // Just inside the idle timeout: still valid, and the use moves last_seen_at on.
  const SignedIn busy = SignIn(env(), env().op.secret);
  const std::string id = busy.response.json->getValue<std::string>("id");
  ExecSql(url, "UPDATE sessions SET last_seen_at = now() - interval '29 minutes' WHERE id = '" +
                   id + "'");
  EXPECT_EQ(env().http->Get("/v1/organisations", WithCookie(busy)).status, 200);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM sessions WHERE id = '" + id +
                              "' AND last_seen_at > now() - interval '1 minute'"),
            1);
}

TEST_F(SessionsApi, RevokingTheTokenEndsTheSessionsOpenedWithIt) {
  const HttpResponse created =
      env().Op("POST", "/v1/tokens", R"({"name":"kari-personal","role":"operator"})");
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string token = created.json->getValue<std::string>("token");
  const SignedIn s = SignIn(env(), token);
  ASSERT_EQ(s.response.status, 201) << s.response.Describe();
  EXPECT_EQ(env().http->Get("/v1/organisations", WithCookie(s)).status, 200);
  ASSERT_EQ(env().Op("DELETE", "/v1/tokens/" + created.json->getValue<std::string>("id")).status,
            200);
  ExpectProblem(env().http->Get("/v1/organisations", WithCookie(s)), 401, "invalid_session");
}

TEST_F(SessionsApi, ABearerHeaderIsAuthenticatedByItselfAndNeverMistakenForTheSession) {
  const SignedIn s = SignIn(env(), env().auditor.secret);
  ASSERT_EQ(s.response.status, 201);
  // The operator's bearer token wins over an auditor's cookie (no CSRF token needed).
  const HttpResponse r = env().http->Post("/v1/organisations", OrgBody(ValidOrgno(103), "B AS"),
                                          Bearer(env().op.secret, WithCookie(s)));
  EXPECT_EQ(r.status, 201) << r.Describe();
  ExpectProblem(env().Op("GET", "/v1/sessions/current"), 404, "no_session");
  // A forged or unknown cookie is 401, never a fall-through to anonymous access.
  ExpectProblem(env().http->Get("/v1/organisations", {{"Cookie", "__Host-onboard_session=onbs_" +
                                                                     std::string(43, 'x')}}),
                401, "invalid_session");
  ExpectProblem(env().http->Get("/v1/organisations", {{"Cookie", "__Host-onboard_session=junk"}}),
                401, "invalid_session");
}

TEST_F(SessionsApi, NeitherCookieNorCsrfTokenReachesTheLog) {
  const SignedIn s = SignIn(env(), env().op.secret);
  ASSERT_EQ(s.response.status, 201);
  EXPECT_EQ(
      env().http->Post("/v1/organisations", "{", WithCookie(s, {{"X-CSRF-Token", s.csrf}})).status,
      400);
  EXPECT_EQ(env().http->Get("/v1/organisations", WithCookie(s)).status, 200);
  ASSERT_TRUE(WaitUntil(
      [&] { return env().api->log().find("/v1/organisations") != std::string::npos; }, 3s));
  const std::string log = env().api->log();
  EXPECT_EQ(log.find(s.secret.substr(5)), std::string::npos);
  EXPECT_EQ(log.find(s.csrf), std::string::npos);
}

// Configured timeouts, and the fallback cookie of a plain-http service on a host other than
// loopback (browsers refuse Secure cookies there).
struct PlainHttpConfig {
  static std::map<std::string, std::string> Env() {
    return {{"ONBOARD_SESSION_ABSOLUTE_TIMEOUT_S", "600"},
            {"ONBOARD_SESSION_IDLE_TIMEOUT_S", "120"},
            {"ONBOARD_HTTP_PUBLIC_BASE_URL", "http://onboard.internal:8080"}};
  }
};
using SessionsPlainHttp = ApiSuite<PlainHttpConfig>;

TEST_F(SessionsPlainHttp, ConfiguredTimeoutsAndTheNonSecureFallbackCookieApply) {
  const SignedIn s = SignIn(env(), env().op.secret);
  ASSERT_EQ(s.response.status, 201) << s.response.Describe();
  EXPECT_EQ(s.set_cookie.rfind("onboard_session=onbs_", 0), 0u) << s.set_cookie;
  EXPECT_EQ(s.set_cookie.find("Secure"), std::string::npos) << s.set_cookie;
  EXPECT_NE(s.set_cookie.find("Max-Age=600"), std::string::npos) << s.set_cookie;
  EXPECT_NE(s.set_cookie.find("HttpOnly; SameSite=Strict"), std::string::npos) << s.set_cookie;
  EXPECT_EQ(s.response.json->getValue<int>("idle_timeout_s"), 120);
  EXPECT_EQ(QueryInt(env().db->url(),
                     "SELECT count(*) FROM sessions WHERE expires_at - created_at = interval "
                     "'600 seconds' AND idle_timeout_s = 120"),
            1);
  EXPECT_EQ(env().http->Get("/v1/organisations", WithCookie(s)).status, 200);
  // The other name is not this configuration's cookie.
  EXPECT_EQ(env().http->Get("/v1/organisations", {{"Cookie", "__Host-" + s.cookie}}).status, 401);
}

}  // namespace
}  // namespace onboard::testsupport
