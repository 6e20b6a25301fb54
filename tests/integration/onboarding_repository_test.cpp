#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "crypto.hpp"
#include "e2e_client_rows.hpp"
#include "error.hpp"
#include "onboarding_repository.hpp"
#include "pool.hpp"
#include "terms_repository.hpp"
#include "test_support.hpp"

namespace onboard::testsupport {
namespace {

class OnboardingRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TempDatabase>();
    pool_ = std::make_unique<db::Pool>(db_->url(), 4, 5000, 5);
    onboardings_ = std::make_unique<db::OnboardingRepository>(*pool_);
    terms_ = std::make_unique<db::TermsRepository>(*pool_);
    org_ = ValidOrgno(0);
    other_org_ = ValidOrgno(1);
    AddOrganisation(org_);
    AddOrganisation(other_org_);
  }

  void AddOrganisation(const std::string& orgno) {
    ExecSql(db_->url(), "INSERT INTO organisations (orgno, name) VALUES ('" + orgno + "', 'Org " +
                            orgno + "')");
  }

  // Clients come from the clients slice; the tests only need rows to link.
  std::string AddClient(const std::string& orgno, const std::string& environment) {
    return InsertBareClient(db_->url(), orgno, environment);
  }

  domain::AuditEvent Audit(const std::string& action, const std::string& target,
                           const std::string& orgno) {
    domain::AuditEvent e;
    e.actor.name = "op-token";
    e.actor.role = "operator";
    e.actor.request_id = crypto::NewUuid();
    e.action = action;
    e.target_type = "onboarding";
    e.target_id = target;
    e.organisation = orgno;
    return e;
  }

  domain::Onboarding NewCase(const std::string& orgno, const std::string& service) {
    domain::Onboarding o;
    o.id = crypto::NewUuid();
    o.organisation = orgno;
    o.service_name = service;
    o.created_by = "op-token";
    o.contacts = {{"Kari Nordmann", "kari@example.no", "+4791234567", "technical"}};
    o.planning.schedule = "May";
    return o;
  }

  domain::Onboarding Create(const std::string& orgno, const std::string& service) {
    domain::Onboarding o = NewCase(orgno, service);
    return onboardings_->Create(o, Audit("onboarding.create", o.id, orgno));
  }

  domain::Terms Publish(const std::string& version) {
    domain::Terms t{version, "Terms " + version, "https://example.no/terms/" + version, "Summary",
                    "",      "op-token"};
    domain::AuditEvent e = Audit("terms.publish", version, "");
    e.target_type = "terms";
    return terms_->Publish(t, e);
  }

  int64_t AuditCount(const std::string& action) {
    return QueryInt(db_->url(),
                    "SELECT count(*) FROM audit_events WHERE action = '" + action + "'");
  }

  static domain::Actor Portal() {
    return domain::Actor{"portal-token", "portal", "ola@example.no", "req-1", ""};
  }

  std::unique_ptr<TempDatabase> db_;
  std::unique_ptr<db::Pool> pool_;
  std::unique_ptr<db::OnboardingRepository> onboardings_;
  std::unique_ptr<db::TermsRepository> terms_;
  std::string org_;
  std::string other_org_;
};

template <class Fn>
AppError Catch(Fn&& fn) {
  try {
    fn();
  } catch (const AppError& e) {
    return e;
  }
  ADD_FAILURE() << "no AppError thrown";
  return AppError(ErrorCode::kInternal, "none");
}

TEST_F(OnboardingRepositoryTest, CreatesACaseAndReadsItBackWithOneAuditEvent) {
  const int64_t before = db_->AuditCount();
  const domain::Onboarding created = Create(org_, "Building permits");
  EXPECT_EQ(created.organisation, org_);
  EXPECT_EQ(created.service_name, "Building permits");
  EXPECT_EQ(created.state, domain::OnboardingState::kOpen);
  EXPECT_EQ(created.version, 1);
  EXPECT_EQ(created.planning.schedule, "May");
  ASSERT_EQ(created.contacts.size(), 1u);
  EXPECT_EQ(created.contacts[0].mobile, "+4791234567");
  EXPECT_TRUE(created.test_clients.empty());
  EXPECT_FALSE(created.terms_acceptance);
  EXPECT_FALSE(created.production_client_id);
  EXPECT_FALSE(created.created_at.empty());

  const auto found = onboardings_->Find(created.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->service_name, "Building permits");
  EXPECT_EQ(db_->AuditCount(), before + 1);
  EXPECT_EQ(AuditCount("onboarding.create"), 1);
  EXPECT_TRUE(db_->VerifyAudit().intact);
}

TEST_F(OnboardingRepositoryTest, RefusesASecondCaseForTheSameServiceIgnoringCase) {
  Create(org_, "Building permits");
  const int64_t before = db_->AuditCount();
  const AppError e = Catch([&] { Create(org_, "BUILDING PERMITS"); });
  EXPECT_EQ(e.code(), ErrorCode::kConflict);
  EXPECT_EQ(e.code_name(), "onboarding_exists");
  EXPECT_EQ(db_->AuditCount(), before) << "a refused change writes no audit event";
  EXPECT_NO_THROW(Create(other_org_, "Building permits"))
      << "another organisation may use the name";
}

TEST_F(OnboardingRepositoryTest, RefusesACaseForAnUnknownOrganisationAsAFieldError) {
  const AppError e = Catch([&] { Create(ValidOrgno(7), "Orphan"); });
  EXPECT_EQ(e.code(), ErrorCode::kValidation);
  ASSERT_EQ(e.field_errors().size(), 1u);
  EXPECT_EQ(e.field_errors()[0].path, "organisation");
}

TEST_F(OnboardingRepositoryTest, UpdatesWithTheExpectedVersionAndRefusesAStaleOne) {
  const domain::Onboarding created = Create(org_, "Payroll");
  domain::Onboarding next = created;
  next.planning.expected_volume = "10 000 a month";
  next.state = domain::OnboardingState::kWithdrawn;
  const domain::Onboarding updated =
      onboardings_->Update(next, 1, Audit("onboarding.update", created.id, org_));
  EXPECT_EQ(updated.version, 2);
  EXPECT_EQ(updated.planning.expected_volume, "10 000 a month");
  EXPECT_EQ(updated.state, domain::OnboardingState::kWithdrawn);

  const int64_t before = db_->AuditCount();
  const AppError stale =
      Catch([&] { onboardings_->Update(next, 1, Audit("onboarding.update", created.id, org_)); });
  EXPECT_EQ(stale.code(), ErrorCode::kPreconditionFailed);
  EXPECT_EQ(db_->AuditCount(), before);

  next.id = crypto::NewUuid();
  const AppError missing =
      Catch([&] { onboardings_->Update(next, 1, Audit("onboarding.update", next.id, org_)); });
  EXPECT_EQ(missing.code(), ErrorCode::kNotFound);
}

TEST_F(OnboardingRepositoryTest, ListsNewestFirstPageByPageWithFilters) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(Create(org_, "Service " + std::to_string(i)).id);
  Create(other_org_, "Elsewhere");
  domain::Onboarding withdrawn = onboardings_->Find(ids[1]).value();
  withdrawn.state = domain::OnboardingState::kWithdrawn;
  onboardings_->Update(withdrawn, 1, Audit("onboarding.update", ids[1], org_));

  domain::OnboardingFilter filter;
  filter.organisation = org_;
  std::vector<std::string> seen;
  domain::PageRequest page{"", 2};
  int pages = 0;
  do {
    auto result = onboardings_->List(filter, page);
    ASSERT_LE(result.items.size(), 2u);
    for (const auto& o : result.items) seen.push_back(o.id);
    page.cursor = result.next_cursor;
    ++pages;
  } while (!page.cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{ids[4], ids[3], ids[2], ids[1], ids[0]}));

  filter.state = domain::OnboardingState::kWithdrawn;
  auto only_withdrawn = onboardings_->List(filter, domain::PageRequest{"", 50});
  ASSERT_EQ(only_withdrawn.items.size(), 1u);
  EXPECT_EQ(only_withdrawn.items[0].id, ids[1]);
  EXPECT_TRUE(only_withdrawn.next_cursor.empty());

  auto everything = onboardings_->List(domain::OnboardingFilter{}, domain::PageRequest{"", 50});
  EXPECT_EQ(everything.items.size(), 6u);
}

TEST_F(OnboardingRepositoryTest, RefusesAMalformedCursor) {
  // "bm90LWEtbnVtYmVy" is base64url for "not-a-number".
  const AppError e = Catch([&] {
    onboardings_->List(domain::OnboardingFilter{}, domain::PageRequest{"bm90LWEtbnVtYmVy", 2});
  });
  EXPECT_EQ(e.code(), ErrorCode::kValidation);
}

TEST_F(OnboardingRepositoryTest, LinksATestClientOfTheSameOrganisationOnce) {
  const domain::Onboarding c = Create(org_, "Linked");
  const std::string client = AddClient(org_, "test");
  const auto linked = onboardings_->LinkTestClient(c.id, client, Portal(), std::nullopt,
                                                   Audit("onboarding.link_client", c.id, org_));
  EXPECT_TRUE(linked.changed);
  EXPECT_EQ(linked.onboarding.version, 2);
  ASSERT_EQ(linked.onboarding.test_clients.size(), 1u);
  EXPECT_EQ(linked.onboarding.test_clients[0].client_id, client);
  EXPECT_EQ(linked.onboarding.test_clients[0].environment, "test");
  EXPECT_EQ(linked.onboarding.test_clients[0].linked_by, "portal-token");
  EXPECT_EQ(AuditCount("onboarding.link_client"), 1);

  const auto again = onboardings_->LinkTestClient(c.id, client, Portal(), std::nullopt,
                                                  Audit("onboarding.link_client", c.id, org_));
  EXPECT_FALSE(again.changed);
  EXPECT_EQ(again.onboarding.version, 2);
  EXPECT_EQ(AuditCount("onboarding.link_client"), 1) << "repeating a link writes nothing";
}

TEST_F(OnboardingRepositoryTest, RefusesClientsOfOtherOrganisationsProductionAndUnknownAsNotFound) {
  const domain::Onboarding c = Create(org_, "Strict");
  for (const std::string& client :
       {AddClient(other_org_, "test"), AddClient(org_, "production"), crypto::NewUuid()}) {
    const AppError e = Catch([&] {
      onboardings_->LinkTestClient(c.id, client, Portal(), std::nullopt,
                                   Audit("onboarding.link_client", c.id, org_));
    });
    EXPECT_EQ(e.code(), ErrorCode::kNotFound) << client;
  }
  EXPECT_EQ(AuditCount("onboarding.link_client"), 0);
  EXPECT_EQ(onboardings_->Find(c.id)->version, 1);
}

TEST_F(OnboardingRepositoryTest, RefusesAClientAlreadyLinkedToAnotherCase) {
  const domain::Onboarding a = Create(org_, "A");
  const domain::Onboarding b = Create(org_, "B");
  const std::string client = AddClient(org_, "test");
  onboardings_->LinkTestClient(a.id, client, Portal(), std::nullopt,
                               Audit("onboarding.link_client", a.id, org_));
  const AppError e = Catch([&] {
    onboardings_->LinkTestClient(b.id, client, Portal(), std::nullopt,
                                 Audit("onboarding.link_client", b.id, org_));
  });
  EXPECT_EQ(e.code(), ErrorCode::kConflict);
  EXPECT_EQ(e.code_name(), "client_already_linked");
}

TEST_F(OnboardingRepositoryTest, HonoursTheExpectedVersionWhenLinking) {
  const domain::Onboarding c = Create(org_, "Versioned");
  const AppError e = Catch([&] {
    onboardings_->LinkTestClient(c.id, AddClient(org_, "test"), Portal(), 7,
                                 Audit("onboarding.link_client", c.id, org_));
  });
  EXPECT_EQ(e.code(), ErrorCode::kPreconditionFailed);
}

TEST_F(OnboardingRepositoryTest, RefusesLinksAndAcceptancesOnAWithdrawnCase) {
  domain::Onboarding c = Create(org_, "Closed");
  c.state = domain::OnboardingState::kWithdrawn;
  onboardings_->Update(c, 1, Audit("onboarding.update", c.id, org_));
  Publish("1");
  const AppError link = Catch([&] {
    onboardings_->LinkTestClient(c.id, AddClient(org_, "test"), Portal(), std::nullopt,
                                 Audit("onboarding.link_client", c.id, org_));
  });
  EXPECT_EQ(link.code_name(), "onboarding_closed");
  const AppError accept = Catch([&] {
    onboardings_->AcceptTerms(c.id, "1", Portal(), std::nullopt,
                              Audit("onboarding.accept_terms", c.id, org_));
  });
  EXPECT_EQ(accept.code_name(), "onboarding_closed");
}

TEST_F(OnboardingRepositoryTest, RecordsWhoAcceptedWhichTermsAndWhen) {
  const domain::Onboarding c = Create(org_, "Terms");
  Publish("2024-01");
  Publish("2024-06");

  const AppError unknown = Catch([&] {
    onboardings_->AcceptTerms(c.id, "1999", Portal(), std::nullopt,
                              Audit("onboarding.accept_terms", c.id, org_));
  });
  EXPECT_EQ(unknown.code(), ErrorCode::kValidation);

  const auto first = onboardings_->AcceptTerms(c.id, "2024-01", Portal(), 1,
                                               Audit("onboarding.accept_terms", c.id, org_));
  ASSERT_TRUE(first.changed);
  ASSERT_TRUE(first.onboarding.terms_acceptance);
  EXPECT_EQ(first.onboarding.terms_acceptance->terms_version, "2024-01");
  EXPECT_EQ(first.onboarding.terms_acceptance->accepted_by, "portal-token");
  EXPECT_EQ(first.onboarding.terms_acceptance->accepted_role, "portal");
  EXPECT_EQ(first.onboarding.terms_acceptance->portal_user, "ola@example.no");
  EXPECT_FALSE(first.onboarding.terms_acceptance->accepted_at.empty());
  EXPECT_EQ(first.onboarding.version, 2);

  const auto repeat = onboardings_->AcceptTerms(c.id, "2024-01", Portal(), std::nullopt,
                                                Audit("onboarding.accept_terms", c.id, org_));
  EXPECT_FALSE(repeat.changed);

  domain::Actor op{"op-token", "operator", "", "req-2", ""};
  const auto newer = onboardings_->AcceptTerms(c.id, "2024-06", op, std::nullopt,
                                               Audit("onboarding.accept_terms", c.id, org_));
  EXPECT_EQ(newer.onboarding.terms_acceptance->terms_version, "2024-06");
  EXPECT_EQ(newer.onboarding.terms_acceptance->portal_user, "");

  const AppError older = Catch([&] {
    onboardings_->AcceptTerms(c.id, "2024-01", Portal(), std::nullopt,
                              Audit("onboarding.accept_terms", c.id, org_));
  });
  EXPECT_EQ(older.code_name(), "terms_older_than_accepted");

  EXPECT_EQ(AuditCount("onboarding.accept_terms"), 2);
  EXPECT_EQ(QueryInt(db_->url(), "SELECT count(*) FROM onboarding_terms_acceptances"), 2);
  EXPECT_TRUE(db_->VerifyAudit().intact);
}

TEST_F(OnboardingRepositoryTest, ListsTermsNewestFirstAndRefusesADuplicateVersion) {
  Publish("1.0");
  Publish("0.9");
  Publish("2.0");
  const auto all = terms_->List();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].version, "2.0");
  EXPECT_EQ(all[1].version, "0.9");
  EXPECT_EQ(all[2].version, "1.0");
  EXPECT_EQ(all[0].published_by, "op-token");

  const int64_t before = db_->AuditCount();
  const AppError dup = Catch([&] { Publish("1.0"); });
  EXPECT_EQ(dup.code(), ErrorCode::kConflict);
  EXPECT_EQ(dup.code_name(), "terms_version_exists");
  EXPECT_EQ(db_->AuditCount(), before);
  EXPECT_EQ(AuditCount("terms.publish"), 3);
  ASSERT_TRUE(terms_->Find("0.9"));
  EXPECT_FALSE(terms_->Find("3.0"));
}

TEST_F(OnboardingRepositoryTest, PublishedTermsAndAcceptancesCannotBeRewrittenInTheDatabase) {
  Publish("1");
  const domain::Onboarding c = Create(org_, "Immutable");
  onboardings_->AcceptTerms(c.id, "1", Portal(), std::nullopt,
                            Audit("onboarding.accept_terms", c.id, org_));
  EXPECT_THROW(ExecSql(db_->url(), "UPDATE terms_versions SET title = 'changed'"), AppError);
  EXPECT_THROW(ExecSql(db_->url(), "DELETE FROM terms_versions"), AppError);
  EXPECT_THROW(
      ExecSql(db_->url(), "UPDATE onboarding_terms_acceptances SET accepted_by = 'someone else'"),
      AppError);
  EXPECT_EQ(QueryScalar(db_->url(), "SELECT title FROM terms_versions").value_or(""), "Terms 1");
}

}  // namespace
}  // namespace onboard::testsupport
