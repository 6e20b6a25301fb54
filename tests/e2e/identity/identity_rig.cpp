#include "identity_rig.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/File.h>
#include <Poco/TemporaryFile.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "client_fixtures.hpp"
#include "e2e_journey.hpp"
#include "evidence.hpp"

namespace onboard::testsupport {

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0')
    throw std::runtime_error(std::string(name) + " is not set (CMake sets it for this test)");
  return v;
}

std::string Base64(const std::string& text) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out);
  enc.rdbuf()->setLineLength(0);
  enc << text;
  enc.close();
  return out.str();
}

std::string ClientsJson(const std::vector<IdpClient>& clients,
                        const std::vector<std::string>& rp_clients) {
  std::string out = "[";
  for (const auto& c : rp_clients) out += (out.size() > 1 ? "," : "") + c;
  for (const auto& c : clients) {
    if (out.size() > 1) out += ",";
    out +=
        R"({"client_id":")" + c.id + R"(","client_secret":")" + c.secret +
        R"(","grant_types":["client_credentials"],"response_types":[],"redirect_uris":[],)" +
        R"("token_endpoint_auth_method":"client_secret_basic",)" +
        R"("scope":"idporten:dcr.read idporten:dcr.modify idporten:dcr.write idporten:dcr/onbehalfof:write idporten:dcr.supplier",)" +
        R"("consumer_orgno":")" + c.orgno + R"("})";
  }
  return out + "]";
}

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

IdentityRig::IdentityRig(const std::vector<IdpClient>& clients,
                         const std::map<std::string, std::string>& extra_env,
                         const std::vector<std::string>& rp_clients)
    : jose_key_(pki::Key::Rsa(2048)) {
  state_dir_ = Poco::TemporaryFile::tempName() + "-idp";
  Poco::File(state_dir_).createDirectories();
  std::ofstream(state_dir_ + "/clients.json") << ClientsJson(clients, rp_clients);
  StartIdp(false);
  jose_key_file_ = pki::WriteTempFile("jose-issuer.pem", jose_key_.PrivatePem());
  const std::string jwks_file = pki::WriteTempFile(
      "jose-issuer-jwks.json", "{\"keys\":[" + jose_key_.PublicJwk("jose-1", "RS256") + "]}");
  std::map<std::string, std::string> env = {
      {"ONBOARD_ACCESS_TOKENS_ISSUERS", "idp,jose"},
      {"ONBOARD_ACCESS_TOKENS_IDP_ISSUER", issuer()},
      {"ONBOARD_ACCESS_TOKENS_IDP_JWKS_URI", issuer() + "/jwks"},
      {"ONBOARD_ACCESS_TOKENS_IDP_AUDIENCE", kAccessTokenAudience},
      {"ONBOARD_ACCESS_TOKENS_JOSE_ISSUER", kJoseIssuer},
      {"ONBOARD_ACCESS_TOKENS_JOSE_JWKS_FILE", jwks_file},
      {"ONBOARD_ACCESS_TOKENS_JOSE_AUDIENCE", kAccessTokenAudience},
      {"ONBOARD_ACCESS_TOKENS_JWKS_MIN_INTERVAL_S", "1"},
  };
  // "{idp}" in a value stands for the provider's issuer URL (its port is known only now).
  for (auto [k, v] : extra_env) {
    for (auto at = v.find("{idp}"); at != std::string::npos; at = v.find("{idp}"))
      v.replace(at, 5, issuer());
    env[k] = v;
  }
  api_ = ApiEnv::Start(env);
}

IdentityRig::~IdentityRig() {
  api_.reset();
  idp_.reset();
  try {
    Poco::File(state_dir_).remove(true);
  } catch (const Poco::Exception&) {
  }
}

void IdentityRig::StartIdp(bool rotate) {
  if (rotate) Poco::File(state_dir_ + "/keys.json").remove();
  Poco::File port_file(state_dir_ + "/port");
  if (port_file.exists()) port_file.remove();
  const std::string modules = Env("ONBOARD_NODE_MODULES");
  std::vector<std::string> argv = {"/usr/bin/node", Env("ONBOARD_IDP_JS"), state_dir_};
  if (idp_port_ != 0) argv.push_back(std::to_string(idp_port_));
  idp_ = std::make_unique<ChildProcess>(
      "oidc-provider", argv,
      std::map<std::string, std::string>{{"ONBOARD_NODE_MODULES", modules},
                                         {"ONBOARD_TEST_AUDIENCE", kAccessTokenAudience}});
  const int port = idp_->WaitForPortFile(state_dir_ + "/port", std::chrono::seconds(60));
  if (port == 0) throw std::runtime_error("oidc-provider did not start: " + idp_->log());
  idp_port_ = port;
}

void IdentityRig::StopIdp() {
  if (idp_) idp_->Terminate();
  idp_.reset();
}

std::string IdentityRig::IdpToken(const IdpClient& client, const std::string& scopes) const {
  HttpClient idp(idp_port_);
  std::string form = "grant_type=client_credentials&scope=";
  for (char c : scopes) {
    if (c == ' ')
      form += "%20";
    else if (c == ':')
      form += "%3A";
    else if (c == '/')
      form += "%2F";
    else
      form += c;
  }
  const HttpResponse r = idp.Request(
      "POST", "/token", {{"Authorization", "Basic " + Base64(client.id + ":" + client.secret)}},
      form, "application/x-www-form-urlencoded");
  if (r.status != 200 || !r.json || !r.json->has("access_token"))
    throw std::runtime_error("oidc-provider issued no token: " + r.Describe());
  const std::string token = r.json->getValue<std::string>("access_token");
  evidence::RecordSecret(token);  // the suite's secrets scan looks for access tokens too
  return token;
}

std::string IdentityRig::JoseToken(const std::string& orgno, const std::string& scopes,
                                   const std::string& extra_claims) const {
  const int64_t now = Now();
  std::string claims = std::string(R"({"iss":")") + kJoseIssuer + R"(","aud":")" +
                       kAccessTokenAudience + R"(","iat":)" + std::to_string(now) + R"(,"exp":)" +
                       std::to_string(now + 120) + R"(,"client_id":"jose-admin-)" + orgno +
                       R"(","scope":")" + scopes +
                       R"(","consumer":{"authority":"iso6523-actorid-upis","ID":"0192:)" + orgno +
                       R"("})" + extra_claims + "}";
  const CliResult r = RunProgram(
      {"/usr/bin/node", Env("ONBOARD_JOSE_MINT_JS"), jose_key_file_, "RS256", "jose-1", claims},
      {"NODE_PATH=" + Env("ONBOARD_NODE_MODULES"), "PATH=/usr/bin:/bin"});
  std::string token = r.out;
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  if (r.exit_code != 0 || std::count(token.begin(), token.end(), '.') != 2)
    throw std::runtime_error("jose minted no token: " + r.err);
  evidence::RecordSecret(token);
  return token;
}

Headers IdentityRig::Bearer(const std::string& token, Headers more) {
  more.push_back({"Authorization", "Bearer " + token});
  return more;
}

journey::ClientUris LoginClientUris() {
  return {"https://tjeneste.example/callback", "https://tjeneste.example/logged-out",
          "https://tjeneste.example/frontchannel-logout"};
}

std::string CreateOrderableLoginClient(ApiEnv& api, const std::string& orgno) {
  auto client = LoginClient(orgno, "Min side");
  client->set("frontchannel_logout_uri", LoginClientUris().frontchannel_logout);
  const HttpResponse c = api.Op("POST", "/v1/clients", Json(client));
  EXPECT_EQ(c.status, 201) << c.Describe();
  return c.status == 201 && c.json ? c.json->getValue<std::string>("client_id") : "";
}

std::string CaseReadyForOrder(ApiEnv& api, const std::string& orgno, const std::string& client_id,
                              TermsAnswer terms) {
  const HttpResponse o = api.Op(
      "POST", "/v1/onboardings",
      Json(journey::OnboardingBody(orgno, "Min side", journey::Planning::AllSaying("planned"))));
  EXPECT_EQ(o.status, 201) << o.Describe();
  const std::string case_id = o.json ? o.json->getValue<std::string>("id") : "";
  EXPECT_EQ(api.Op("POST", "/v1/onboardings/" + case_id + "/clients",
                   Json(journey::LinkClientBody(client_id)))
                .status,
            200);
  const int published = api.Op("POST", "/v1/terms", Json(journey::TermsBody())).status;
  if (terms == TermsAnswer::kCreated) {
    EXPECT_EQ(published, 201);
  } else {
    EXPECT_TRUE(published == 201 || published == 409) << published;
  }
  EXPECT_EQ(api.Portal(orgno, "POST", "/v1/onboardings/" + case_id + "/terms-acceptance",
                       Json(journey::TermsAcceptanceBody()))
                .status,
            200);
  const std::string yesterday =
      QueryScalar(api.db->url(), "SELECT rfc3339(now() - interval '1 day')").value_or("");
  const HttpResponse run =
      api.Portal(orgno, "POST", "/v1/clients/" + client_id + "/verification-runs",
                 Json(journey::PassedRunBody(yesterday)));
  EXPECT_EQ(run.status, 201) << run.Describe();
  return case_id;
}

}  // namespace onboard::testsupport
