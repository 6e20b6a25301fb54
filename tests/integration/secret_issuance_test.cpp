#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <ctime>

#include "client_secret.hpp"
#include "config.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "integration_helpers.hpp"
#include "issuer.hpp"
#include "secret_repository.hpp"
#include "sevenzip.hpp"

namespace onboard::testsupport {
namespace {

constexpr const char* kOrg = "910000001";

class SecretIssuance : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    config_ = LoadConfig(nullptr, {{"ONBOARD_DATABASE_URL", db_->url()},
                                   {"ONBOARD_SECRETS_PEPPER", kTestPepper},
                                   {"ONBOARD_SECRETS_KEK", kTestKek}});
    keys_ = std::make_unique<crypto::KeyRing>(config_.secrets.keks);
    repo_ = std::make_unique<db::SecretRepository>(*pool_, *keys_);
    ExecSql(db_->url(), std::string("INSERT INTO organisations (orgno, name) VALUES ('") + kOrg +
                            "', 'Kommune')");
    client_id_ = crypto::NewUuid();
    ExecSql(db_->url(),
            "INSERT INTO clients (client_id, environment, organisation, integration_type, "
            "client_name, state, "
            "metadata, registration_channel, created_by) VALUES ('" +
                client_id_ + "', 'production', '" + kOrg +
                "', 'idporten', 'Portal', 'awaiting_credentials', '{}', 'production_order', 'op')");
  }
  void TearDown() override {
    repo_.reset();
    DatabaseTest::TearDown();
  }

  domain::SecretIssuance Prepare(domain::DeliveryChannel channel) {
    package::DeliveryRequest r;
    r.client.client_id = client_id_;
    r.client.environment = domain::Environment::kProduction;
    r.client.metadata.client_name = "Portal";
    r.organisation = kOrg;
    r.channel = channel;
    r.mobile = "+4791234567";
    if (channel == domain::DeliveryChannel::kEmail) r.email = "ola@example.no";
    r.created_by = "op";
    r.audit = Event("client.secret_issue", client_id_, kOrg);
    return package::PrepareDeliveredIssuance(r, config_, *keys_,
                                             static_cast<int64_t>(std::time(nullptr)));
  }

  int64_t Count(const std::string& table) {
    return QueryInt(db_->url(), "SELECT count(*) FROM " + table);
  }

  // The SMS body as the courier will read it: opened with the key ring under the agreed AAD.
  std::string SmsBody(const std::string& delivery_id) {
    const auto kek =
        QueryScalar(db_->url(), "SELECT payload_kek_id FROM outbox WHERE kind = 'sms'");
    const auto hex = QueryScalar(db_->url(), "SELECT payload FROM outbox WHERE kind = 'sms'");
    const crypto::SecretString json =
        keys_->Open(*kek, db::ByteaValue(*hex), crypto::OutboxAad(delivery_id, "sms"));
    Poco::JSON::Parser parser;
    return parser.parse(json.reveal())
        .extract<Poco::JSON::Object::Ptr>()
        ->getValue<std::string>("body");
  }

  static std::string PasswordIn(const std::string& sms_body) {
    const auto colon = sms_body.rfind(": ");
    return sms_body.substr(colon + 2);
  }

  AppConfig config_;
  std::unique_ptr<crypto::KeyRing> keys_;
  std::unique_ptr<db::SecretRepository> repo_;
  std::string client_id_;
};

TEST_F(SecretIssuance, WritesSecretDeliveryOutboxAndAuditTogetherAndActivatesTheClient) {
  const domain::SecretIssuance is = Prepare(domain::DeliveryChannel::kDownload);
  repo_->Issue(is);
  EXPECT_EQ(Count("client_secrets"), 1);
  EXPECT_EQ(Count("deliveries"), 1);
  EXPECT_EQ(Count("outbox WHERE kind = 'sms' AND state = 'pending'"), 1);
  EXPECT_EQ(Count("outbox WHERE kind = 'email'"), 0);
  EXPECT_EQ(Count("audit_events WHERE action = 'client.secret_issue'"), 1);
  EXPECT_EQ(QueryScalar(db_->url(), "SELECT state FROM clients"), "active");
  EXPECT_EQ(QueryScalar(db_->url(), "SELECT change FROM client_history WHERE version = 2"),
            "activate");
  EXPECT_EQ(
      QueryScalar(db_->url(),
                  "SELECT package_state || ',' || email_state || ',' || sms_state FROM deliveries"),
      "built,not_applicable,queued");
  EXPECT_EQ(QueryScalar(db_->url(), "SELECT package_kek_id FROM deliveries"), "test-k2");
}

TEST_F(SecretIssuance, AFailureAfterTheOutboxInsertLeavesNothingBehind) {
  // The audit append (into audit_queue) is the issuing writes' last part: the statement
  // that writes the secret, delivery and outbox rows (store_issuance.sql) ends with it.
  // The trigger fires once the outbox rows exist (AFTER INSERT on outbox queues it to the
  // statement's end) and fails the issuance there.
  ExecSql(
      db_->url(),
      "CREATE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "IF (SELECT count(*) FROM outbox) = 0 THEN RAISE EXCEPTION 'outbox not written yet'; END IF; "
      "RAISE EXCEPTION 'forced failure after the outbox insert'; END $$;"
      "CREATE TRIGGER fail_audit AFTER INSERT ON audit_queue FOR EACH ROW EXECUTE FUNCTION "
      "fail_audit()");
  const domain::SecretIssuance is = Prepare(domain::DeliveryChannel::kEmail);
  try {
    repo_->Issue(is);
    ADD_FAILURE() << "the forced failure did not surface";
  } catch (const AppError& e) {
    EXPECT_NE(e.internal().find("forced failure after the outbox insert"), std::string::npos)
        << e.internal();
  }
  EXPECT_EQ(Count("client_secrets"), 0);
  EXPECT_EQ(Count("deliveries"), 0);
  EXPECT_EQ(Count("outbox"), 0);
  EXPECT_EQ(Count("client_history"), 0);
  EXPECT_EQ(QueryScalar(db_->url(), "SELECT state FROM clients"), "awaiting_credentials");
  ExecSql(db_->url(), "DROP TRIGGER fail_audit ON audit_queue");
  repo_->Issue(is);  // the same issuance goes through once the fault is gone
  EXPECT_EQ(Count("outbox"), 2);
}

TEST_F(SecretIssuance, TheStoredPackageOpensWithTheSmsPasswordAndHoldsTheExactCredentials) {
  const domain::SecretIssuance is = Prepare(domain::DeliveryChannel::kDownload);
  repo_->Issue(is);
  const std::string& id = is.delivery->id;
  const std::string password = PasswordIn(SmsBody(id));
  ASSERT_EQ(password.size(), 29u) << SmsBody(id);

  const domain::DownloadResult got =
      repo_->TakePackage(id, "192.0.2.7", Event("delivery.package_download", id, kOrg));
  ASSERT_EQ(got.outcome, domain::DownloadOutcome::kDelivered);
  const SevenZipResult opened = Extract7z(got.zip.reveal(), password);
  ASSERT_EQ(opened.exit_code, 0) << opened.output;
  ASSERT_EQ(opened.files.size(), 3u);
  Poco::JSON::Parser parser;
  auto creds = parser.parse(opened.files.at("credentials.json")).extract<Poco::JSON::Object::Ptr>();
  const std::string secret = creds->getValue<std::string>("client_secret");
  EXPECT_EQ(creds->getValue<std::string>("client_id"), client_id_);
  EXPECT_EQ(creds->getValue<std::string>("issuer"), "https://idporten.no");
  EXPECT_EQ(creds->getValue<std::string>("well_known_url"),
            "https://idporten.no/.well-known/openid-configuration");
  EXPECT_TRUE(domain::VerifyClientSecret(
      kTestPepper, secret, *QueryScalar(db_->url(), "SELECT secret_hash FROM client_secrets")));
  EXPECT_NE(opened.files.at("LES-MEG.txt").find("well-known"), std::string::npos);
  EXPECT_NE(opened.files.at("README.txt").find("did not expect"), std::string::npos);

  EXPECT_NE(Extract7z(got.zip.reveal(), "abcde-fghjk-mnpqr-stuvw-xyz23").exit_code, 0);
  EXPECT_NE(Extract7z(got.zip.reveal(), "").exit_code, 0);
  EXPECT_EQ(QueryScalar(db_->url(),
                        "SELECT package IS NULL AND package_state = 'downloaded' FROM deliveries"),
            "t");
  EXPECT_EQ(repo_->TakePackage(id, "192.0.2.8", Event("x", id, kOrg)).outcome,
            domain::DownloadOutcome::kAlreadyDownloaded);
  EXPECT_EQ(
      Count("audit_events WHERE action = 'delivery.package_second_download' AND outcome = 'alarm'"),
      1);
}

TEST_F(SecretIssuance, SealedColumnsHoldNeitherTheSecretNorThePassword) {
  const domain::SecretIssuance is = Prepare(domain::DeliveryChannel::kEmail);
  repo_->Issue(is);
  const std::string& id = is.delivery->id;
  const std::string password = PasswordIn(SmsBody(id));

  // The e-mail payload: the zip as an attachment, opened with the SMS password.
  const auto hex = QueryScalar(db_->url(), "SELECT payload FROM outbox WHERE kind = 'email'");
  const crypto::SecretString email =
      keys_->Open("test-k2", db::ByteaValue(*hex), crypto::OutboxAad(id, "email"));
  Poco::JSON::Parser parser;
  auto mail = parser.parse(email.reveal()).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(mail->getValue<std::string>("text").find(password), std::string::npos);
  EXPECT_EQ(mail->getValue<std::string>("attachment_name"),
            "credentials-production-" + client_id_ + ".zip");
  const SevenZipResult opened = Extract7z(
      crypto::Base64UrlDecode(mail->getValue<std::string>("attachment_base64")), password);
  ASSERT_EQ(opened.exit_code, 0) << opened.output;
  auto creds = parser.parse(opened.files.at("credentials.json")).extract<Poco::JSON::Object::Ptr>();
  const std::string secret = creds->getValue<std::string>("client_secret");
  ASSERT_EQ(secret.size(), 43u);

  // Every row of every table the issuance touched, as text and with bytea decoded.
  std::string dump;
  for (const char* table : {"client_secrets", "deliveries", "outbox", "audit_events", "audit_queue",
                            "clients", "client_history"}) {
    dump +=
        QueryScalar(db_->url(), std::string("SELECT string_agg(t::text, '|') FROM ") + table + " t")
            .value_or("");
  }
  for (const char* col : {"SELECT payload FROM outbox WHERE kind = 'sms'",
                          "SELECT payload FROM outbox WHERE kind = 'email'"}) {
    dump += db::ByteaValue(*QueryScalar(db_->url(), col));
  }
  EXPECT_EQ(QueryScalar(db_->url(), "SELECT package IS NULL FROM deliveries"),
            "t");  // e-mail: nothing stored
  EXPECT_EQ(dump.find(secret), std::string::npos);
  EXPECT_EQ(dump.find(password), std::string::npos);
  EXPECT_EQ(dump.find(secret.substr(6)), std::string::npos);  // only the 6-character prefix is kept
}

TEST_F(SecretIssuance, AnExpiredPackageIsDestroyedAtDownloadAndBySweep) {
  const domain::SecretIssuance a = Prepare(domain::DeliveryChannel::kDownload);
  repo_->Issue(a);
  const domain::SecretIssuance b = Prepare(domain::DeliveryChannel::kDownload);
  repo_->Issue(b);
  ExecSql(db_->url(), "UPDATE deliveries SET package_expires_at = now() - interval '1 second'");
  EXPECT_EQ(
      repo_->TakePackage(a.delivery->id, "192.0.2.1", Event("x", a.delivery->id, kOrg)).outcome,
      domain::DownloadOutcome::kExpired);
  EXPECT_EQ(QueryScalar(db_->url(),
                        "SELECT package_state FROM deliveries WHERE id = '" + a.delivery->id + "'"),
            "expired");
  EXPECT_EQ(repo_->SweepExpiredPackages(100), 1);  // b; a is gone already
  EXPECT_EQ(Count("deliveries WHERE package IS NOT NULL"), 0);
  EXPECT_EQ(Count("audit_events WHERE action = 'delivery.package_expired'"), 2);
  EXPECT_TRUE(db_->VerifyAudit().intact);
}

}  // namespace
}  // namespace onboard::testsupport
