// Operators' single sign-on in a real browser (issue #17, label browser): onboard-api on a
// port chosen before the provider starts, so the provider's client registration names the
// real callback; Chromium (puppeteer-core, oidc_browser.mjs) signs in through oidc-provider's
// login and consent pages and acts as the person it signed in as. Four eyes compares
// persons: Anna enters the order, Anna in another session is refused, Ola approves. Ola signs
// in by clicking the console's "Sign in with Test IdP" on /console/ and signs out with the
// console's button, which takes the browser through the provider's logout. With single
// sign-on only, the console's sign-in page has no personal-token form and its button works.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/ServerSocket.h>
#include <gtest/gtest.h>

#include <memory>

#include "client_fixtures.hpp"
#include "evidence.hpp"
#include "identity_rig.hpp"

namespace onboard::testsupport {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') throw std::runtime_error(std::string(name) + " is not set");
  return v;
}

int FreePort() {
  Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
  const int port = s.address().port();
  s.close();
  return port;
}

const std::string kRpId = "onboard-console";
const std::string kRpSecret = "rp-secret-browser-0123456789-abcdef";

/// onboard-api on `port` as the provider's relying party `kRpId`, serving the console,
/// offering `methods` (session.sign_in_methods).
std::unique_ptr<IdentityRig> ConsoleRig(int port, const std::string& methods) {
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  const std::string callback = base + "/v1/sessions/oidc/callback";
  evidence::RecordSecret(kRpSecret);
  const std::string rp = R"({"client_id":")" + kRpId + R"(","client_secret":")" + kRpSecret +
                         R"(","grant_types":["authorization_code"],"response_types":["code"],)"
                         R"("redirect_uris":[")" +
                         callback + R"("],"post_logout_redirect_uris":[")" + base +
                         R"(/console/"],"token_endpoint_auth_method":"client_secret_basic",)"
                         R"("scope":"openid profile groups"})";
  return std::make_unique<IdentityRig>(
      std::vector<IdpClient>{},
      std::map<std::string, std::string>{{"ONBOARD_HTTP_PORT", std::to_string(port)},
                                         {"ONBOARD_CONSOLE_DIR", Env("ONBOARD_CONSOLE_DIST")},
                                         {"ONBOARD_OIDC_ISSUER", "{idp}"},
                                         {"ONBOARD_OIDC_PROVIDER_NAME", "Test IdP"},
                                         {"ONBOARD_OIDC_CLIENT_ID", kRpId},
                                         {"ONBOARD_OIDC_CLIENT_SECRET", kRpSecret},
                                         {"ONBOARD_OIDC_REDIRECT_URI", callback},
                                         {"ONBOARD_OIDC_SCOPES", "openid,profile,groups"},
                                         {"ONBOARD_OIDC_OPERATOR_VALUES", "onboard-operators"},
                                         {"ONBOARD_OIDC_AUDITOR_VALUES", "onboard-auditors"},
                                         {"ONBOARD_SESSION_SIGN_IN_METHODS", methods}},
      std::vector<std::string>{rp});
}

CliResult RunBrowser(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/usr/bin/node", Env("ONBOARD_OIDC_BROWSER_JS")};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProgram(
      argv,
      {"PATH=/usr/bin:/bin", "HOME=/tmp", "ONBOARD_NODE_MODULES=" + Env("ONBOARD_NODE_MODULES"),
       "ONBOARD_BROWSER_EVIDENCE_DIR=" + Env("ONBOARD_CONSOLE_DIST") +
           "/../../browser-evidence/oidc-browser"},
      std::chrono::seconds(120));
}

TEST(OidcBrowser, AnOperatorSignsInThroughTheProvidersPagesAndFourEyesComparesPersons) {
  const int port = FreePort();
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  const std::unique_ptr<IdentityRig> owned = ConsoleRig(port, "oidc,token");
  IdentityRig& rig = *owned;

  const std::string org = "974760673";
  rig.api().CreateOrg(org, "Etat " + org);
  const std::string client_id = CreateOrderableLoginClient(rig.api(), org);
  ASSERT_FALSE(client_id.empty());
  const std::string case_id = CaseReadyForOrder(rig.api(), org, client_id);
  const Poco::JSON::Object order =
      journey::ProductionOrderBody(client_id, journey::SmsZipDelivery(), LoginClientUris());

  const CliResult r = RunBrowser({base, case_id, Json(order)});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::cerr << "oidc browser: " << r.out;
  const auto seen = Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Object::Ptr>();
  const std::string anna = "oidc:" + rig.issuer() + "#anna";
  EXPECT_EQ(seen->getObject("anna")->getValue<std::string>("actor"), anna);
  EXPECT_EQ(seen->getObject("anna")->getValue<std::string>("display_name"), "Anna Operatør");
  EXPECT_EQ(seen->getObject("anna")->getValue<std::string>("role"), "operator");
  EXPECT_EQ(seen->getValue<std::string>("entered_by"), anna);
  EXPECT_EQ(seen->getValue<std::string>("refused"), "four_eyes");
  EXPECT_EQ(seen->getValue<std::string>("decided_by"), "oidc:" + rig.issuer() + "#ola");
  EXPECT_EQ(seen->getValue<int>("signed_out"), 200);
  EXPECT_EQ(seen->getValue<std::string>("end_session_url").rfind(rig.issuer() + "/session/end?", 0),
            0u);
  EXPECT_TRUE(seen->getValue<bool>("provider_asks_login_again"));
  // Ola signed in with the console's button and signed out with its sign-out button.
  const std::string button = seen->getValue<std::string>("console_button");
  EXPECT_TRUE(button == "Sign in with Test IdP" || button == "Logg inn med Test IdP") << button;
}

TEST(OidcBrowser, WithSingleSignOnOnlyTheConsoleHasNoTokenFormAndItsButtonSignsIn) {
  const int port = FreePort();
  const std::unique_ptr<IdentityRig> rig = ConsoleRig(port, "oidc");
  // The API offers single sign-on only, and refuses a personal token even when valid.
  const HttpResponse methods = rig->http().Get("/v1/sessions/methods");
  ASSERT_EQ(methods.status, 200) << methods.Describe();
  const Poco::JSON::Array::Ptr offered = methods.json->getArray("methods");
  ASSERT_TRUE(offered) << methods.body;
  ASSERT_EQ(offered->size(), 1u) << methods.body;
  EXPECT_EQ(offered->getObject(0)->getValue<std::string>("method"), "oidc") << methods.body;
  const HttpResponse with_token =
      rig->http().Post("/v1/sessions", R"({"token":")" + rig->api().op.secret + R"("})");
  EXPECT_EQ(with_token.status, 403) << with_token.Describe();
  EXPECT_NE(with_token.body.find("sign_in_method_not_offered"), std::string::npos)
      << with_token.body;

  const CliResult r = RunBrowser({"http://127.0.0.1:" + std::to_string(port), "--sso-only"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::cerr << "oidc browser, single sign-on only: " << r.out;
  const auto seen = Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Object::Ptr>();
  const Poco::JSON::Object::Ptr form = seen->getObject("form");
  EXPECT_EQ(form->getValue<int>("token_inputs"), 0);
  EXPECT_EQ(form->getValue<int>("forms"), 0);
  EXPECT_EQ(form->getValue<int>("submit_buttons"), 0);
  const std::string button = seen->getValue<std::string>("console_button");
  EXPECT_TRUE(button == "Sign in with Test IdP" || button == "Logg inn med Test IdP") << button;
  EXPECT_EQ(seen->getValue<std::string>("actor"), "oidc:" + rig->issuer() + "#ola");
  EXPECT_EQ(seen->getValue<std::string>("role"), "operator");
}

}  // namespace
}  // namespace onboard::testsupport
