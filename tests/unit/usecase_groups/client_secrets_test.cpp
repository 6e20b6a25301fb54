#include <gtest/gtest.h>

#include "../metadata_fixtures.hpp"
#include "client_metadata_json.hpp"
#include "client_secrets.hpp"
#include "fakes.hpp"

namespace onboard::usecases {
namespace {

domain::ClientMetadata SecretClientMetadata(domain::AuthMethod method) {
  domain::ClientMetadata m = domain::testing::WebClientMetadata(kOrgA);
  m.token_endpoint_auth_method = method;
  return m;
}

struct SecretCases : testing::UseCaseTest {
  Clients client_cases{clients, scopes, units, caches};
  SecretDeliveries deliveries{secrets, config, ring};
  ClientSecrets cases{client_cases,         clients, secrets, deliveries, units, caches,
                      {"pepper", 360, 7, 5}};

  // A stored client of kOrgA with the given environment, state and auth method.
  std::string Stored(domain::Environment environment,
                     domain::AuthMethod method = domain::AuthMethod::kClientSecretBasic,
                     domain::ClientState state = domain::ClientState::kActive) {
    ClientDraft draft =
        DraftClient(environment, state, "operator", "ops", SecretClientMetadata(method));
    draft.client.version = 1;
    clients.rows[draft.client.client_id] = draft.client;
    return draft.client.client_id;
  }

  SecretRequest Request(const std::string& client_id, const std::string& mobile = "") {
    SecretRequest r;
    r.client_id = client_id;
    r.destination.mobile = mobile;
    return r;
  }

  domain::Delivery StoredDelivery(const std::string& client_id, const std::string& org = kOrgA) {
    domain::Delivery d;
    d.id = "d-1";
    d.client_id = client_id;
    d.organisation = org;
    d.channel = "download";
    d.mobile = "+4791234567";
    d.environment = "production";
    secrets.deliveries[d.id] = d;
    return d;
  }
};

Caller SelfService() {
  Caller c = testing::Portal(kOrgA);
  c.access_token = true;
  c.permissions = ~0u;
  c.permission = domain::Permission::kClientsCreate;
  return c;
}

TEST_F(SecretCases, OnlyTheOperatorTeamIssuesProductionSecrets) {
  const std::string id = Stored(domain::Environment::kProduction);
  const AppError e =
      Thrown([&] { cases.Issue(testing::Portal(kOrgA), Request(id, "+4791234567")); });
  EXPECT_EQ(e.code(), ErrorCode::kForbidden);
  EXPECT_EQ(e.code_name(), "operator_only");
  EXPECT_TRUE(secrets.issued.empty());
}

TEST_F(SecretCases, AProductionSecretTravelsAsADeliveryAndIsNeverReturned) {
  const std::string id = Stored(domain::Environment::kProduction);
  const IssuedClientSecret out = cases.Issue(testing::Operator(), Request(id, "+4791234567"));
  ASSERT_TRUE(out.delivery_id);
  EXPECT_FALSE(out.secret);
  ASSERT_EQ(secrets.issued.size(), 1u);
  EXPECT_EQ(secrets.issued[0].audit.action, "client.secret_issue");
  EXPECT_EQ(caches.clients_changed, std::vector<std::string>{id});
}

TEST_F(SecretCases, AClientThatUsesNoSecretGetsNone) {
  const std::string id = Stored(domain::Environment::kTest, domain::AuthMethod::kPrivateKeyJwt);
  const AppError e = Thrown([&] { cases.Issue(testing::Operator(), Request(id)); });
  EXPECT_EQ(e.code_name(), "no_secret_auth_method");
  EXPECT_TRUE(caches.clients_changed.empty());
}

TEST_F(SecretCases, ADeactivatedClientGetsNoSecret) {
  const std::string id = Stored(domain::Environment::kTest, domain::AuthMethod::kClientSecretPost,
                                domain::ClientState::kDeactivated);
  EXPECT_EQ(Thrown([&] { cases.Issue(testing::Operator(), Request(id)); }).code_name(),
            "client_deactivated");
}

TEST_F(SecretCases, ATestClientsSecretIsShownOnceAndItsRequestTakesNoFields) {
  const std::string id = Stored(domain::Environment::kTest);
  SecretRequest with_field = Request(id);
  with_field.unexpected_fields = {{"mobile", "unknown_field", "not a member"}};
  const AppError e = Thrown([&] { cases.Issue(testing::Operator(), with_field); });
  EXPECT_EQ(e.code(), ErrorCode::kValidation);
  EXPECT_TRUE(Has(e.field_errors(), "mobile", "unknown_field"));
  const IssuedClientSecret out = cases.Issue(testing::Operator(), Request(id));
  ASSERT_TRUE(out.secret);
  EXPECT_FALSE(out.delivery_id);
  ASSERT_EQ(secrets.issued.size(), 1u);
  EXPECT_EQ(secrets.issued[0].grace_days, 7);
  EXPECT_EQ(secrets.issued[0].max_old, 5);
  EXPECT_NE(secrets.issued[0].audit.detail_json.find("\"shown_once\":true"), std::string::npos);
  EXPECT_EQ(secrets.issued[0].audit.detail_json.find(out.secret->reveal()), std::string::npos);
  EXPECT_EQ(caches.clients_changed, std::vector<std::string>{id});
}

TEST_F(SecretCases, ASelfServiceProductionSecretGoesOnlyToTheOrdersContacts) {
  const std::string id = Stored(domain::Environment::kProduction);
  const AppError named = Thrown([&] { cases.Issue(SelfService(), Request(id, "+4791234567")); });
  EXPECT_TRUE(Has(named.field_errors(), "mobile", "destination_fixed"));
  EXPECT_EQ(Thrown([&] { cases.Issue(SelfService(), Request(id)); }).code_name(),
            "no_order_contact");
  secrets.order_contact = domain::OrderContact{};
  secrets.order_contact->mobile = "+4798765432";
  secrets.order_contact->order_id = "o-1";
  EXPECT_TRUE(cases.Issue(SelfService(), Request(id)).delivery_id);
  ASSERT_EQ(secrets.issued.size(), 1u);
  EXPECT_EQ(secrets.issued[0].delivery->mobile, "+4798765432");
}

TEST_F(SecretCases, RevokingAnUnknownSecretIsNotFoundAndForgetsNothing) {
  const std::string id = Stored(domain::Environment::kTest);
  secrets.revoke_finds_secret = false;
  EXPECT_EQ(Thrown([&] { cases.Revoke(testing::Operator(), id, "s-1"); }).code(),
            ErrorCode::kNotFound);
  EXPECT_TRUE(caches.clients_changed.empty());
  secrets.revoke_finds_secret = true;
  cases.Revoke(testing::Operator(), id, "s-1");
  ASSERT_EQ(secrets.events.size(), 1u);
  EXPECT_EQ(secrets.events[0].detail_json, R"({"secret_id":"s-1"})");
  EXPECT_EQ(caches.clients_changed, std::vector<std::string>{id});
}

TEST_F(SecretCases, AnotherOrganisationsDeliveryIsNotFoundForAPortal) {
  StoredDelivery(Stored(domain::Environment::kProduction));
  const AppError e = Thrown([&] { cases.Delivery(testing::Portal(kOrgB), "d-1"); });
  EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  EXPECT_EQ(e.detail(), "no such delivery");
  EXPECT_EQ(cases.Delivery(testing::Portal(kOrgA), "d-1").id, "d-1");
}

TEST_F(SecretCases, ADeliveryIsReissuedOnceKeepingItsRecipients) {
  const std::string id = Stored(domain::Environment::kProduction);
  StoredDelivery(id);
  ReissueRequest r;
  r.delivery_id = "d-1";
  const ReissuedDelivery out = cases.Reissue(testing::Operator(), r);
  EXPECT_EQ(out.supersedes, "d-1");
  ASSERT_EQ(secrets.issued.size(), 1u);
  EXPECT_EQ(secrets.issued[0].delivery->mobile, "+4791234567");
  EXPECT_EQ(secrets.issued[0].audit.action, "delivery.reissue");
  secrets.deliveries["d-1"].superseded_by = out.delivery_id;
  EXPECT_EQ(Thrown([&] { cases.Reissue(testing::Operator(), r); }).code_name(), "already_reissued");
}

TEST_F(SecretCases, ASecondDownloadIsGoneAndAnEmailPackageIsNoDownload) {
  StoredDelivery(Stored(domain::Environment::kProduction));
  EXPECT_EQ(cases.TakePackage(testing::Operator(), "d-1").zip.reveal(), "PK..");
  secrets.download = domain::DownloadOutcome::kAlreadyDownloaded;
  const AppError gone = Thrown([&] { cases.TakePackage(testing::Operator(), "d-1"); });
  EXPECT_EQ(gone.code(), ErrorCode::kGone);
  EXPECT_EQ(gone.code_name(), "package_already_downloaded");
  secrets.download = domain::DownloadOutcome::kNotDownloadable;
  EXPECT_EQ(Thrown([&] { cases.TakePackage(testing::Operator(), "d-1"); }).code_name(),
            "not_a_download");
  EXPECT_EQ(secrets.events.size(), 3u);  // every attempt is audited
}

TEST_F(SecretCases, AProductionSecretsUnreadableDestinationIsRefusedBeforeAnyIssue) {
  const std::string id = Stored(domain::Environment::kProduction);
  SecretRequest r = Request(id, "+4791234567");
  r.destination_errors = {{"channel", "invalid_value", "download or email"}};
  const AppError e = Thrown([&] { cases.Issue(testing::Operator(), r); });
  EXPECT_EQ(e.code(), ErrorCode::kValidation);
  EXPECT_EQ(e.detail(), "the request is invalid");
  EXPECT_TRUE(Has(e.field_errors(), "channel", "invalid_value"));
  EXPECT_TRUE(secrets.issued.empty());
}

TEST_F(SecretCases, AnOperatorNamesTheDestinationOfAProductionSecret) {
  const std::string id = Stored(domain::Environment::kProduction);
  secrets.order_contact = domain::OrderContact{};
  secrets.order_contact->mobile = "+4798765432";
  secrets.order_contact->order_id = "o-1";
  cases.Issue(testing::Operator(), Request(id, "+4791234567"));
  ASSERT_EQ(secrets.issued.size(), 1u);
  EXPECT_EQ(secrets.issued[0].delivery->mobile, "+4791234567");
}

TEST_F(SecretCases, AReissueKeepsTheOldChannelEmailAndOrder) {
  const std::string id = Stored(domain::Environment::kProduction);
  domain::Delivery& old = secrets.deliveries[StoredDelivery(id).id];
  old.channel = "email";
  old.email = "ops@example.no";
  old.order_id = "o-7";
  ReissueRequest r;
  r.delivery_id = "d-1";
  cases.Reissue(testing::Operator(), r);
  ASSERT_EQ(secrets.issued.size(), 1u);
  EXPECT_EQ(secrets.issued[0].delivery->channel, domain::DeliveryChannel::kEmail);
  EXPECT_EQ(secrets.issued[0].delivery->email, "ops@example.no");
  EXPECT_EQ(secrets.issued[0].delivery->order_id, "o-7");
  EXPECT_EQ(secrets.issued[0].supersedes_delivery_id, "d-1");
  EXPECT_EQ(caches.clients_changed, std::vector<std::string>{id});
}

TEST_F(SecretCases, AReissueReadsItsBodyAndNeedsAClientThatStillUsesASecret) {
  const std::string id =
      Stored(domain::Environment::kProduction, domain::AuthMethod::kPrivateKeyJwt);
  StoredDelivery(id);
  ReissueRequest r;
  r.delivery_id = "d-1";
  r.input_errors = {{"colour", "unknown_field", "unknown field colour"}};
  EXPECT_TRUE(Has(Thrown([&] { cases.Reissue(testing::Operator(), r); }).field_errors(), "colour",
                  "unknown_field"));
  r.input_errors.clear();
  EXPECT_EQ(Thrown([&] { cases.Reissue(testing::Operator(), r); }).code_name(),
            "no_secret_auth_method");
  EXPECT_TRUE(secrets.issued.empty());
}

TEST_F(SecretCases, AnExpiredPackageIsGone) {
  StoredDelivery(Stored(domain::Environment::kProduction));
  secrets.download = domain::DownloadOutcome::kExpired;
  const AppError e = Thrown([&] { cases.TakePackage(testing::Portal(kOrgA), "d-1"); });
  EXPECT_EQ(e.code(), ErrorCode::kGone);
  EXPECT_EQ(e.code_name(), "package_expired");
  EXPECT_EQ(Thrown([&] { cases.TakePackage(testing::Portal(kOrgB), "d-1"); }).code(),
            ErrorCode::kNotFound);
}

TEST_F(SecretCases, AClientsSecretsAreListedForThoseWhoSeeIt) {
  const std::string id = Stored(domain::Environment::kTest);
  secrets.secrets.resize(2);
  EXPECT_EQ(cases.List(testing::Portal(kOrgA), id).items.size(), 2u);
  EXPECT_EQ(Thrown([&] { cases.List(testing::Portal(kOrgB), id); }).code(), ErrorCode::kNotFound);
}

// The body is read only after the checks that answered first before #15 (8fa6b88): a
// malformed body for a client or delivery the caller cannot see, or for a client that gets
// no secret, is still that 404 or 409, not a 400.
TEST_F(SecretCases, TheBodyOfAnIssueIsReadOnlyOnceTheClientMayGetASecret) {
  int reads = 0;
  const BodyReader<SecretRequest> malformed = [&](SecretRequest&) {
    ++reads;
    throw AppError(ErrorCode::kBadRequest, "the body is not JSON");
  };
  EXPECT_EQ(Thrown([&] { cases.Issue(testing::Operator(), Request("nope"), malformed); }).code(),
            ErrorCode::kNotFound);
  const std::string other = Stored(domain::Environment::kTest);
  EXPECT_EQ(Thrown([&] { cases.Issue(testing::Portal(kOrgB), Request(other), malformed); }).code(),
            ErrorCode::kNotFound);
  const std::string production = Stored(domain::Environment::kProduction);
  EXPECT_EQ(Thrown([&] {
              cases.Issue(testing::Portal(kOrgA), Request(production), malformed);
            }).code_name(),
            "operator_only");
  const std::string keyed = Stored(domain::Environment::kTest, domain::AuthMethod::kPrivateKeyJwt);
  EXPECT_EQ(
      Thrown([&] { cases.Issue(testing::Operator(), Request(keyed), malformed); }).code_name(),
      "no_secret_auth_method");
  const std::string deactivated =
      Stored(domain::Environment::kTest, domain::AuthMethod::kClientSecretBasic,
             domain::ClientState::kDeactivated);
  EXPECT_EQ(Thrown([&] {
              cases.Issue(testing::Operator(), Request(deactivated), malformed);
            }).code_name(),
            "client_deactivated");
  EXPECT_EQ(reads, 0);
  EXPECT_EQ(
      Thrown([&] { cases.Issue(testing::Operator(), Request(production), malformed); }).code(),
      ErrorCode::kBadRequest);
  EXPECT_EQ(reads, 1);
  // What the reader reads is what the use case checks.
  const IssuedClientSecret out =
      cases.Issue(testing::Operator(), Request(production),
                  [](SecretRequest& c) { c.destination.mobile = "+4791234567"; });
  EXPECT_TRUE(out.delivery_id);
  EXPECT_TRUE(secrets.issued.size() == 1u);
}

TEST_F(SecretCases, TheBodyOfAReissueIsReadOnlyOnceTheDeliveryIsFound) {
  int reads = 0;
  const BodyReader<ReissueRequest> malformed = [&](ReissueRequest&) {
    ++reads;
    throw AppError(ErrorCode::kBadRequest, "the body is not JSON");
  };
  ReissueRequest r;
  r.delivery_id = "d-1";
  EXPECT_EQ(Thrown([&] { cases.Reissue(testing::Operator(), r, malformed); }).code(),
            ErrorCode::kNotFound);
  StoredDelivery(Stored(domain::Environment::kProduction), kOrgB);
  EXPECT_EQ(Thrown([&] { cases.Reissue(testing::Portal(kOrgA), r, malformed); }).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(reads, 0);
  EXPECT_EQ(Thrown([&] { cases.Reissue(testing::Operator(), r, malformed); }).code(),
            ErrorCode::kBadRequest);
  EXPECT_TRUE(secrets.issued.empty());
}

// The provider forgets a client's secrets only once the change committed (an after-commit
// hook of the change's unit of work), never after a refused revocation.
TEST_F(SecretCases, TheProviderForgetsTheClientOnlyAfterTheSecretChangeCommitted) {
  const std::string id = Stored(domain::Environment::kTest);
  secrets.revoke_finds_secret = false;
  EXPECT_EQ(Thrown([&] { cases.Revoke(testing::Operator(), id, "s-1"); }).code(),
            ErrorCode::kNotFound);
  EXPECT_TRUE(caches.clients_changed.empty());
  EXPECT_EQ(units.log.rolled_back, 1);
  secrets.revoke_finds_secret = true;
  cases.Revoke(testing::Operator(), id, "s-1");
  cases.Issue(testing::Operator(), Request(id));
  EXPECT_EQ(units.log.committed, 2);
  EXPECT_EQ(units.log.hooks_run, 2);  // the invalidations ran as the units' hooks
  EXPECT_EQ(caches.clients_changed, (std::vector<std::string>{id, id}));
}

}  // namespace
}  // namespace onboard::usecases
