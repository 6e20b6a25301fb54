// A standard OpenID Connect client library (node's openid-client 5) registers clients with
// the real onboard-api through RFC 7591 and reads them back through RFC 7592, unchanged:
// tests/e2e/oidc_library/register.js does the library's part and checks what it gets.
// A missing node or openid-client FAILS this test (with the command that installs it).

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "client_fixtures.hpp"

namespace onboard::testsupport {
namespace {

constexpr const char* kInstallHint =
    "install it with `npm install --prefix var/node --no-audit --no-fund openid-client@5.7.1` in "
    "the source tree "
    "(Node.js itself: `apt-get install nodejs npm`)";

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

class OidcLibraryRegistration : public ClientSuite<OidcLibraryRegistration> {};

TEST_F(OidcLibraryRegistration, OpenidClientRegistersAndReadsBackClientsUnchanged) {
  const std::string script = EnvOr("ONBOARD_OIDC_REGISTER_JS", "");
  const std::string node_modules = EnvOr("ONBOARD_NODE_MODULES", "");
  ASSERT_FALSE(script.empty())
      << "ONBOARD_OIDC_REGISTER_JS is not set: run this test through ctest";
  ASSERT_FALSE(node_modules.empty())
      << "ONBOARD_NODE_MODULES is not set: run this test through ctest";
  ASSERT_TRUE(std::filesystem::exists(script)) << script;
  const auto node = FindOnPath("node");
  ASSERT_TRUE(node) << "node is not on PATH; " << kInstallHint;
  const std::string package_json = node_modules + "/openid-client/package.json";
  ASSERT_TRUE(std::filesystem::exists(package_json))
      << "openid-client is not installed in " << node_modules << "; " << kInstallHint;
  std::ostringstream package_text;
  package_text << std::ifstream(package_json).rdbuf();
  const std::string version = ParseObject(package_text.str())->optValue<std::string>("version", "");
  ASSERT_EQ(version.rfind("5.", 0), 0u)
      << "openid-client " << version << " is installed, version 5 is needed; " << kInstallHint;

  const std::string org = svc().NewOrganisation();
  const std::string initial_access_token = svc().BoundPortalToken(org, "openid-client");
  const std::string endpoint =
      "http://127.0.0.1:" + std::to_string(svc().api().port()) + "/register";
  const int64_t audit_before = svc().AuditCount();

  const CliResult run = RunProgram({*node, script, endpoint, initial_access_token},
                                   {"PATH=" + EnvOr("PATH", "/usr/bin:/bin"),
                                    "NODE_PATH=" + node_modules, "HOME=" + EnvOr("HOME", "/tmp")},
                                   60s);
  EXPECT_EQ(run.exit_code, 0) << "register.js failed\nstdout:\n"
                              << run.out << "\nstderr:\n"
                              << run.err;
  EXPECT_NE(run.out.find("ok: openid-client 5."), std::string::npos) << run.out << run.err;

  // What the library registered is in the provider's model, for the token's organisation.
  const HttpResponse list = svc().http().Get("/v1/clients?organisation=" + org, svc().Operator());
  ASSERT_EQ(list.status, 200) << list.Describe();
  Poco::JSON::Array::Ptr items = list.json->getArray("items");
  ASSERT_TRUE(items);
  EXPECT_EQ(items->size(), 2u) << list.body;
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto c = items->getObject(static_cast<unsigned>(i));
    EXPECT_EQ(c->getValue<std::string>("registration_channel"), "registration_api");
    EXPECT_EQ(c->getValue<std::string>("client_orgno"), org);
    EXPECT_EQ(c->getValue<std::string>("environment"), "test");
    if (c->getValue<std::string>("token_endpoint_auth_method") == "private_key_jwt") {
      EXPECT_EQ(c->getArray("jwks")->size(), 1u) << Json(c);
    }
  }
  EXPECT_EQ(svc().AuditCount(), audit_before + 2);
  EXPECT_EQ(QueryInt(svc().db().url(), "SELECT count(*) FROM client_secrets"), 1);
}

}  // namespace
}  // namespace onboard::testsupport
