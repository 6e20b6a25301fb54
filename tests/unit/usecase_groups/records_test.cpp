#include <gtest/gtest.h>

#include "audit_export.hpp"
#include "audit_queries.hpp"
#include "fakes.hpp"
#include "test_user_pool.hpp"
#include "tokens.hpp"
#include "verifications.hpp"

namespace onboard::usecases {
namespace {

const std::string kClient = "11111111-2222-4333-8444-555555555555";

domain::VerificationCase Case(int id, bool mandatory) {
  domain::VerificationCase c;
  c.id = id;
  c.name = "case_" + std::to_string(id);
  c.title = "Case";
  c.description = "d";
  c.mandatory = mandatory;
  return c;
}

struct VerificationCases : testing::UseCaseTest {
  domain::ScopeCatalogue scopes;
  Verifications cases{verifications, clients, onboardings, scopes, 90};
  void SetUp() override {
    domain::VerificationCatalogue v1;
    v1.version = 1;
    v1.cases = {Case(1, true), Case(2, false)};
    verifications.catalogues.push_back(v1);
    clients.Add(kClient, kOrgA);
  }
  NewRun Run() const {
    NewRun r;
    r.client_id = kClient;
    r.run.tester = "Tester";
    r.run.tested_at = "2024-05-01T12:00:00Z";
    r.run.results = {{1, domain::CaseOutcome::kPassed, "ok", ""}};
    return r;
  }
};

TEST_F(VerificationCases, ACatalogueVersionMustBeAPositiveInteger) {
  EXPECT_EQ(Thrown([&] { cases.Catalogue("0"); }).code(), ErrorCode::kValidation);
  EXPECT_EQ(Thrown([&] { cases.Catalogue("7"); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(cases.Catalogue("").version, 1);
}

TEST_F(VerificationCases, PublishChecksIfMatchAndSortsTheCases) {
  NewCatalogue c;
  c.cases = {Case(3, false), Case(1, true)};
  c.expected_version = 5;
  EXPECT_EQ(Thrown([&] { cases.Publish(testing::Operator(), c); }).code(),
            ErrorCode::kPreconditionFailed);
  c.expected_version = 1;
  const auto published = cases.Publish(testing::Operator(), c);
  EXPECT_EQ(published.version, 2);
  EXPECT_EQ(published.cases.front().id, 1);
  EXPECT_EQ(verifications.events.back().detail_json,
            R"({"mandatory":[1],"optional":[3],"previous_version":1,"version":2})");
}

TEST_F(VerificationCases, APublishThatLostARaceIsCatalogueChanged) {
  verifications.conflict_on_publish = true;
  NewCatalogue c;
  c.cases = {Case(1, true)};
  EXPECT_EQ(Thrown([&] { cases.Publish(testing::Operator(), c); }).code_name(),
            "catalogue_changed");
}

TEST_F(VerificationCases, RunsConcernTestClientsOnly) {
  clients.Add(kClient, kOrgA, domain::Environment::kProduction);
  EXPECT_EQ(Thrown([&] { cases.Record(testing::Operator(), Run()); }).code_name(),
            "not_a_test_client");
  EXPECT_TRUE(verifications.runs.empty());
}

TEST_F(VerificationCases, APortalCannotSeeAnotherOrganisationsClient) {
  EXPECT_EQ(Thrown([&] { cases.Record(testing::Portal(kOrgB), Run()); }).detail(),
            "no such client");
}

TEST_F(VerificationCases, ARunNamingAnUnknownCatalogueVersionIsRefused) {
  NewRun r = Run();
  r.catalogue_version = 4;
  EXPECT_TRUE(Has(Thrown([&] { cases.Record(testing::Operator(), r); }).field_errors(),
                  "catalogue_version", "unknown_catalogue_version"));
}

TEST_F(VerificationCases, ARecordedRunIsMarkedCompleteAndAudited) {
  const domain::VerificationRun run = cases.Record(testing::Operator(), Run());
  EXPECT_TRUE(run.complete);
  EXPECT_EQ(run.catalogue_version, 1);
  EXPECT_EQ(verifications.events.back().organisation, kOrgA);
  EXPECT_EQ(verifications.events.back().action, "verification_run.record");
}

TEST_F(VerificationCases, RunsLimitIsBetweenOneAnd200) {
  EXPECT_EQ(Thrown([&] { cases.Runs(testing::Operator(), kClient, "201"); }).code(),
            ErrorCode::kValidation);
  cases.Runs(testing::Operator(), kClient, "");
  EXPECT_EQ(verifications.last_limit, 50);
}

TEST_F(VerificationCases, ReadinessNamesOnlyKnownDeliveries) {
  EXPECT_TRUE(
      Has(Thrown([&] { cases.Readiness(testing::Operator(), kClient, "fax"); }).field_errors(),
          "delivery", "invalid_value"));
}

struct TestUserCases : testing::UseCaseTest {
  TestUserPool pool{test_users, organisations};
};

TEST_F(TestUserCases, APortalReachesOnlyItsOwnOrganisationsNumbers) {
  EXPECT_EQ(Thrown([&] {
              pool.Allocate(testing::Portal(kOrgB), {kOrgA, 2, {}});
            }).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(test_users.allocations, 0);
}

TEST_F(TestUserCases, AllocateAsksForTheDefaultCountWhenNoneIsGiven) {
  const TestUserResult r = pool.Allocate(testing::Operator(), {kOrgA, std::nullopt, {}});
  EXPECT_EQ(r.requested, domain::kDefaultTestUserCount);
  EXPECT_EQ(test_users.last_requested, domain::kDefaultTestUserCount);
  EXPECT_TRUE(domain::IsSyntheticPid(r.allocation.created.at(0)));
}

TEST_F(TestUserCases, ListNeedsAKnownOrganisationAndAYesOrNoFlag) {
  EXPECT_EQ(Thrown([&] { pool.List(testing::Operator(), kOrgA, "yes"); }).code(),
            ErrorCode::kValidation);
  EXPECT_EQ(Thrown([&] { pool.List(testing::Operator(), kOrgA, "true"); }).code(),
            ErrorCode::kNotFound);
  organisations.rows[kOrgA].orgno = kOrgA;
  pool.List(testing::Operator(), kOrgA, "true");
  EXPECT_TRUE(test_users.last_include_released);
}

TEST_F(TestUserCases, ReleasingSomethingThatIsNoSyntheticNumberAsksNobody) {
  EXPECT_EQ(Thrown([&] { pool.Release(testing::Operator(), kOrgA, "12345"); }).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(test_users.releases, 0);
}

struct TokenCases : testing::UseCaseTest {
  Tokens token_cases{tokens, units, caches};
};

TEST_F(TokenCases, OnlyPortalTokensAreBoundToAnOrganisation) {
  NewToken t{"ci-bot", "operator", std::nullopt, kOrgA, {}};
  EXPECT_TRUE(Has(Thrown([&] { token_cases.Create(testing::Operator(), t); }).field_errors(),
                  "organisation", "portal_only"));
  t.role = "portal";
  t.organisation = "123456789";
  EXPECT_TRUE(Has(Thrown([&] { token_cases.Create(testing::Operator(), t); }).field_errors(),
                  "organisation", "invalid_orgno"));
  t.role = "root";
  EXPECT_TRUE(Has(Thrown([&] { token_cases.Create(testing::Operator(), t); }).field_errors(),
                  "role", "invalid_role"));
  EXPECT_TRUE(tokens.rows.empty());
}

TEST_F(TokenCases, CreateStoresOnlyTheHashAndReturnsTheSecretOnce) {
  const domain::IssuedToken issued =
      token_cases.Create(testing::Operator(), {"ci-bot", "portal", 30, kOrgA, {}});
  EXPECT_EQ(issued.secret.reveal().rfind("onb_", 0), 0u);
  EXPECT_EQ(tokens.hashes.at(0), domain::HashToken(issued.secret.reveal()));
  EXPECT_EQ(units.log.events.at(0).detail_json,
            R"({"name":"ci-bot","organisation":")" + kOrgA + R"(","role":"portal"})");
}

TEST_F(TokenCases, RevokeMakesTheTokenCacheForgetItOnceTheRevocationCommitted) {
  const auto issued = token_cases.Create(testing::Operator(), {"ci-bot", "auditor", {}, {}, {}});
  EXPECT_EQ(Thrown([&] { token_cases.Revoke(testing::Operator(), "x"); }).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(Thrown([&] { token_cases.Revoke(testing::Operator(), crypto::NewUuid()); }).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(caches.tokens_changed, 0);
  EXPECT_EQ(units.log.rolled_back, 1);  // the unknown id's unit: no commit, no hook
  token_cases.Revoke(testing::Operator(), issued.token.id);
  EXPECT_EQ(caches.tokens_changed, 1);
  EXPECT_EQ(units.log.hooks_run, 1);  // through the unit's after-commit hook
  EXPECT_EQ(units.log.events.back().action, "token.revoke");
}

struct AuditCases : testing::UseCaseTest {
  AuditQueries audit{audit_log, reports, nullptr};
  static domain::SealedAuditEvent Event(int64_t seq) {
    domain::SealedAuditEvent e;
    e.seq = seq;
    return e;
  }
};

TEST_F(AuditCases, AJsonSearchIsAPageThatSaysWhetherMoreFollow) {
  audit_log.events = {Event(9), Event(8), Event(7)};
  EventSearch search;
  search.params = {{"limit", "2"}};
  int seen = 0;
  const EventPage page = audit.Search(search, [&](const auto&) { ++seen; });
  EXPECT_EQ(seen, 2);
  EXPECT_TRUE(page.more);
  EXPECT_EQ(page.last_seq, 8);
  EXPECT_EQ(audit_log.last_query->limit, 3);
}

TEST_F(AuditCases, SearchFiltersAreValidatedEachByName) {
  EventSearch search;
  search.params = {{"role", "root"},       {"organisation", "123"}, {"order", "up"},
                   {"from", "2024-02-01"}, {"to", "2024-01-01"},    {"limit", "1001"}};
  const AppError e = Thrown([&] { audit.Search(search, [](const auto&) {}); });
  for (const char* path : {"role", "organisation", "order", "to", "limit"}) {
    EXPECT_FALSE(e.field_errors().empty());
    bool found = false;
    for (const auto& f : e.field_errors()) found = found || f.path == path;
    EXPECT_TRUE(found) << path;
  }
  EXPECT_FALSE(audit_log.last_query);
}

TEST_F(AuditCases, AnExportHasNoDefaultLimit) {
  EventSearch search;
  search.format = ExportFormat::kCsv;
  audit.Search(search, [](const auto&) {});
  EXPECT_FALSE(audit_log.last_query->limit);
}

TEST_F(AuditCases, AClientTrailWithoutLineageIsNotFound) {
  EXPECT_EQ(Thrown([&] { audit.ClientTrail("x", {}, [](const auto&) {}); }).code(),
            ErrorCode::kNotFound);
  audit_log.lineage = {"a", "b"};
  audit.ClientTrail("a", {}, [](const auto&) {});
  EXPECT_EQ(audit_log.last_query->client_ids.size(), 2u);
  EXPECT_EQ(audit_log.last_query->target_ids, std::vector<std::string>{"order-1"});
}

TEST_F(AuditCases, VerifyOfATimeRangeWithoutEventsChecksNothing) {
  const ChainCheck check = audit.Verify({{"from", "2024-01-01"}});
  EXPECT_TRUE(check.empty_range);
  EXPECT_EQ(audit_log.verified.first, -1);
  EXPECT_EQ(audit.Verify({{"from", "5"}}).report.checked, 3);
  EXPECT_EQ(audit_log.verified.first, 5);
}

TEST_F(AuditCases, ACheckpointNeedsAKey) {
  EXPECT_EQ(Thrown([&] { audit.WriteCheckpoint(testing::Operator()); }).code_name(),
            "checkpoint_key_missing");
  EXPECT_TRUE(audit_log.written.empty());
}

TEST_F(AuditCases, AReportPeriodIsAMonthOrARangeNotBoth) {
  ReportRequest r;
  r.params = {{"month", "2024-13"}};
  EXPECT_TRUE(Has(Thrown([&] { audit.Onboarding(r); }).field_errors(), "month", "invalid_value"));
  r.params = {{"month", "2024-02"}, {"from", "2024-01-01"}};
  EXPECT_TRUE(Has(Thrown([&] { audit.Onboarding(r); }).field_errors(), "month", "conflict"));
  r.params = {{"month", "2024-12"}};
  const auto report = audit.Onboarding(r);
  EXPECT_EQ(domain::Rfc3339FromMicros(report.period.to_us).substr(0, 10), "2025-01-01");
}

TEST_F(AuditCases, CredentialsReportsLookThirtyDaysAheadUnlessAsked) {
  ReportRequest r;
  r.params = {{"month", "2024-02"}};
  audit.Credentials(r);
  EXPECT_EQ(reports.last_within, 30);
  r.params["expiring_within_days"] = "0";
  EXPECT_EQ(Thrown([&] { audit.Credentials(r); }).code(), ErrorCode::kValidation);
}

TEST_F(AuditCases, ABadFormatIsRefusedAfterThePeriod) {
  ReportRequest r;
  r.params = {{"month", "2024-02"}};
  r.format_errors = {{"format", "invalid_value", "format must be one of json, csv"}};
  EXPECT_EQ(Thrown([&] { audit.Access(r); }).detail(), "format must be one of json, csv");
  EXPECT_FALSE(reports.last_period);
}

}  // namespace
}  // namespace onboard::usecases
