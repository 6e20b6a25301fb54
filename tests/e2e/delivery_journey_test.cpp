// The whole delivery, end to end, with every real peer: an operator approves a production
// order -> onboard-courier e-mails the zip (aiosmtpd) and texts its password (onboard-dev-sms)
// -> 7-Zip opens the zip with that password -> the credentials inside are the production
// client's -> the provider's signed report marks the SMS delivered -> the body is redacted at
// the provider -> neither the secret nor the password is in the database dump, any log or the
// audit trail.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "client_fixtures.hpp"
#include "crypto.hpp"
#include "delivery_rig.hpp"
#include "e2e_journey.hpp"
#include "e2e_shared_suite.hpp"

namespace onboard::testsupport {
namespace {

class DeliveryJourney : public SharedRigSuite<DeliveryJourney, DeliveryRig> {
 public:
  static std::unique_ptr<DeliveryRig> StartRig() {
    auto rig = std::make_unique<DeliveryRig>();
    rig->StartSmtp();
    rig->StartCourier();
    second_ = CreateToken(rig->db().url(), domain::Role::kOperator, "approver");
    return rig;
  }

 protected:
  static Headers Op() { return Bearer(rig().operator_token().secret); }
  static Headers Approver() { return Bearer(second_.secret); }

  static HttpResponse Post(const std::string& path, const Poco::JSON::Object& body,
                           const Headers& as) {
    return rig().http().Post(path, Json(body), as);
  }
  static std::string Must(const HttpResponse& r, int status, const std::string& member) {
    EXPECT_EQ(r.status, status) << r.Describe();
    return r.json && r.json->has(member) ? r.json->get(member).convert<std::string>()
                                         : std::string();
  }

  inline static TestToken second_;
};

TEST_F(DeliveryJourney, AnApprovedOrdersSecretArrivesAsZipAndSmsAndLeavesNoTrace) {
  const std::string orgno = ValidOrgno(1, 96000000);
  const std::string mobile = rig().NewMobile();
  const std::string email = "drift-" + orgno + "@example.no";

  ASSERT_EQ(Post("/v1/organisations", journey::OrganisationBody(orgno), Op()).status, 201);
  const std::string test_client =
      Must(Post("/v1/clients", journey::OrderableClientBody(orgno), Op()), 201, "client_id");
  ASSERT_FALSE(test_client.empty());
  const std::string yesterday =
      QueryScalar(rig().db().url(), "SELECT rfc3339(now() - interval '1 day')").value_or("");
  ASSERT_EQ(Post("/v1/clients/" + test_client + "/verification-runs",
                 journey::PassedRunBody(yesterday), Op())
                .status,
            201);
  ASSERT_EQ(Post("/v1/terms", journey::TermsBody(), Op()).status, 201);

  const journey::Contact contact{.email = email, .mobile = mobile};
  const std::string case_id =
      Must(Post("/v1/onboardings", journey::OnboardingBody(orgno, "Min side", {}, contact), Op()),
           201, "id");
  ASSERT_EQ(
      Post("/v1/onboardings/" + case_id + "/clients", journey::LinkClientBody(test_client), Op())
          .status,
      200);
  ASSERT_EQ(
      Post("/v1/onboardings/" + case_id + "/terms-acceptance", journey::TermsAcceptanceBody(), Op())
          .status,
      200);

  const Poco::JSON::Object order =
      journey::ProductionOrderBody(test_client, journey::SmsZipDelivery(mobile, email));
  const std::string order_id =
      Must(Post("/v1/onboardings/" + case_id + "/production-orders", order, Op()), 201, "id");

  const HttpResponse approved =
      rig().http().Request("POST", "/v1/production-orders/" + order_id + "/approve", Approver());
  ASSERT_EQ(approved.status, 200) << approved.Describe();
  const std::string delivery_id = approved.Header("X-Onboard-Delivery-Id");
  ASSERT_FALSE(delivery_id.empty()) << approved.Describe();
  const std::string production_client =
      approved.json->getValue<std::string>("production_client_id");

  // The e-mail with the zip, and the SMS with its password.
  ASSERT_TRUE(WaitUntil([&] { return !rig().Mails(email).empty(); }, 60s))
      << "no e-mail at aiosmtpd";
  const auto mails = rig().Mails(email);
  ASSERT_EQ(mails.size(), 1u);
  ASSERT_FALSE(mails[0].attachment.empty());
  ASSERT_TRUE(WaitUntil([&] { return !rig().Messages(mobile).empty(); }, 60s))
      << "no SMS at the dev provider";
  const auto sms = rig().Messages(mobile);
  ASSERT_EQ(sms.size(), 1u);
  const std::string text = sms[0]->getValue<std::string>("body");
  const std::string password = text.substr(text.rfind(": ") + 2);
  ASSERT_GE(password.size(), 16u) << text;

  // 7-Zip opens it with that password; the credentials are the production client's.
  const std::string dir =
      std::filesystem::temp_directory_path() / ("onboard-journey-" + delivery_id);
  std::filesystem::create_directories(dir);
  { std::ofstream(dir + "/package.zip", std::ios::binary) << mails[0].attachment; }
  const auto sevenzip = FindOnPath("7zz");
  ASSERT_TRUE(sevenzip) << "7zz (Debian package 7zip) is missing";
  const auto wrong = RunProgram(
      {*sevenzip, "x", "-y", "-pwrong-password", "-o" + dir + "/wrong", dir + "/package.zip"},
      {"PATH=/usr/bin:/bin"});
  EXPECT_NE(wrong.exit_code, 0) << "a wrong password must not open the package";
  const auto opened =
      RunProgram({*sevenzip, "x", "-y", "-p" + password, "-o" + dir + "/out", dir + "/package.zip"},
                 {"PATH=/usr/bin:/bin"});
  ASSERT_EQ(opened.exit_code, 0) << opened.out << opened.err;
  std::ifstream in(dir + "/out/credentials.json");
  std::string credentials((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto creds = ParseObject(credentials);
  EXPECT_EQ(creds->getValue<std::string>("client_id"), production_client);
  const std::string secret = creds->getValue<std::string>("client_secret");
  ASSERT_GE(secret.size(), 43u);
  {
    // The secret from the zip authenticates at the provider-facing endpoint.
    const TestToken provider =
        CreateToken(rig().db().url(), domain::Role::kProvider, "journey-provider");
    Poco::JSON::Object auth;
    auth.set("authorization", "Basic " + crypto::Base64Encode(production_client + ":" + secret));
    auth.set("audience", creds->getValue<std::string>("issuer"));
    const HttpResponse r = Post("/v1/provider/authenticate", auth, Bearer(provider.secret));
    ASSERT_EQ(r.status, 200) << r.Describe();
    ASSERT_TRUE(r.json);
    EXPECT_TRUE(r.json->getValue<bool>("authenticated"));
    EXPECT_EQ(r.json->getValue<std::string>("client_id"), production_client);
    EXPECT_EQ(r.json->getValue<std::string>("method"), "client_secret_basic");
  }
  std::filesystem::remove_all(dir);

  // Delivered (signed report), then redacted at the provider.
  ASSERT_TRUE(rig().WaitForSmsStates({delivery_id}, "delivered", 60s))
      << rig().SmsState(delivery_id);
  ASSERT_TRUE(
      WaitUntil([&] { return rig().Messages(mobile).at(0)->getValue<bool>("redacted"); }, 30s));
  ASSERT_TRUE(WaitUntil(
      [&] {
        return QueryInt(
                   rig().db().url(),
                   "SELECT count(*) FROM deliveries WHERE sms_redacted_at IS NOT NULL AND id = '" +
                       delivery_id + "'") == 1;
      },
      30s));
  const HttpResponse view = rig().http().Get("/v1/deliveries/" + delivery_id, Op());
  EXPECT_EQ(view.status, 200) << view.Describe();
  EXPECT_EQ(view.body.find(password), std::string::npos);

  // No trace: database dump, every log, the audit trail.
  const std::string dump = rig().DatabaseDump();
  ASSERT_FALSE(dump.empty());
  EXPECT_EQ(dump.find(secret), std::string::npos) << "the secret is in the database dump";
  EXPECT_EQ(dump.find(password), std::string::npos) << "the password is in the database dump";
  const std::string logs = rig().AllLogs();
  EXPECT_EQ(logs.find(secret), std::string::npos) << "the secret is in a log";
  EXPECT_EQ(logs.find(password), std::string::npos) << "the password is in a log";
  const std::string audit =
      QueryScalar(
          rig().db().url(),
          "SELECT string_agg(detail || actor || action || target_id, '|') FROM audit_events")
          .value_or("");
  EXPECT_EQ(audit.find(secret), std::string::npos);
  EXPECT_EQ(audit.find(password), std::string::npos);
  EXPECT_TRUE(rig().db().VerifyAudit().intact);
  for (const char* action : {"delivery.sms_sent", "delivery.email_sent", "delivery.sms_status",
                             "delivery.sms_redacted"}) {
    EXPECT_GE(QueryInt(rig().db().url(), "SELECT count(*) FROM audit_events WHERE target_id = '" +
                                             delivery_id + "' AND action = '" + action + "'"),
              1)
        << action;
  }
}

}  // namespace
}  // namespace onboard::testsupport
