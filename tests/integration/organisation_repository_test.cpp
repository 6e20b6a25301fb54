#include <gtest/gtest.h>

#include <future>
#include <regex>
#include <set>

#include "audit_store.hpp"
#include "error.hpp"
#include "integration_helpers.hpp"
#include "organisation_repository.hpp"

namespace onboard::testsupport {
namespace {

class Organisations : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    repo_ = std::make_unique<db::OrganisationRepository>(*pool_);
  }
  void TearDown() override {
    repo_.reset();
    DatabaseTest::TearDown();
  }

  static domain::Organisation Org(const std::string& orgno, const std::string& name) {
    domain::Organisation o;
    o.orgno = orgno;
    o.name = name;
    o.contacts = {{"Kari Nordmann", "kari@example.no", "+4791234567", "technical"}};
    return o;
  }

  domain::Organisation Create(const std::string& orgno, const std::string& name) {
    return repo_->Create(Org(orgno, name), Event("organisation.create", orgno, orgno));
  }

  std::vector<domain::Organisation> ListAll(const domain::OrganisationFilter& filter, int limit,
                                            int* pages = nullptr) {
    std::vector<domain::Organisation> all;
    domain::PageRequest page{"", limit};
    int n = 0;
    do {
      auto result = repo_->List(filter, page);
      EXPECT_LE(static_cast<int>(result.items.size()), limit);
      all.insert(all.end(), result.items.begin(), result.items.end());
      page.cursor = result.next_cursor;
      if (++n > 100) break;
    } while (!page.cursor.empty());
    if (pages != nullptr) *pages = n;
    return all;
  }

  std::unique_ptr<db::OrganisationRepository> repo_;
};

const std::regex kRfc3339(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)");

TEST_F(Organisations, CreatesAndFindsAnOrganisationWithItsContacts) {
  const auto created = Create("974760673", "Acme AS");
  EXPECT_EQ(created.orgno, "974760673");
  EXPECT_EQ(created.version, 1);
  EXPECT_TRUE(std::regex_match(created.created_at, kRfc3339)) << created.created_at;
  EXPECT_EQ(created.created_at, created.updated_at);
  const auto found = repo_->Find("974760673");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "Acme AS");
  ASSERT_EQ(found->contacts.size(), 1u);
  EXPECT_EQ(found->contacts[0].email, "kari@example.no");
  EXPECT_EQ(found->contacts[0].mobile, "+4791234567");
  EXPECT_EQ(found->contacts[0].role, "technical");
}

TEST_F(Organisations, FindsNothingForAnUnknownOrgno) { EXPECT_FALSE(repo_->Find("974760673")); }

TEST_F(Organisations, WritesExactlyOneAuditEventWithTheCreate) {
  Create("974760673", "Acme AS");
  EXPECT_EQ(db_->AuditCount(), 1);
  EXPECT_EQ(
      QueryScalar(db_->url(),
                  "SELECT action || ' ' || organisation || ' ' || target_id FROM audit_events"),
      "organisation.create 974760673 974760673");
  EXPECT_TRUE(db_->VerifyAudit().intact);
}

TEST_F(Organisations, RefusesADuplicateOrgnoAsAConflictNamingTheConstraint) {
  Create("974760673", "Acme AS");
  try {
    Create("974760673", "Other AS");
    FAIL() << "duplicate accepted";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
    EXPECT_EQ(e.code_name(), "organisations_pkey");
  }
  EXPECT_EQ(repo_->Find("974760673")->name, "Acme AS");
  EXPECT_EQ(db_->AuditCount(), 1);
}

TEST_F(Organisations, ListsInOrgnoOrderAcrossSeveralPages) {
  std::vector<std::string> orgnos;
  for (int i = 0; i < 23; ++i) {
    orgnos.push_back(ValidOrgno(i));
    Create(orgnos.back(), "Org " + std::to_string(i));
  }
  int pages = 0;
  const auto all = ListAll({}, 5, &pages);
  EXPECT_EQ(pages, 5);
  ASSERT_EQ(all.size(), orgnos.size());
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].orgno, orgnos[i]);
}

TEST_F(Organisations, HasNoNextCursorWhenTheLastPageIsExactlyFull) {
  for (int i = 0; i < 4; ++i) Create(ValidOrgno(i), "Org");
  const auto page = repo_->List({}, {"", 4});
  EXPECT_EQ(page.items.size(), 4u);
  EXPECT_TRUE(page.next_cursor.empty());
  const auto first = repo_->List({}, {"", 3});
  EXPECT_FALSE(first.next_cursor.empty());
  const auto rest = repo_->List({}, {first.next_cursor, 3});
  EXPECT_EQ(rest.items.size(), 1u);
  EXPECT_TRUE(rest.next_cursor.empty());
}

TEST_F(Organisations, FiltersByACaseInsensitiveNamePrefix) {
  Create(ValidOrgno(0), "Acme AS");
  Create(ValidOrgno(1), "acme data");
  Create(ValidOrgno(2), "Beta Acme");
  Create(ValidOrgno(3), "ACMEX");
  domain::OrganisationFilter filter;
  filter.name_prefix = "aCmE";
  std::set<std::string> names;
  for (const auto& o : ListAll(filter, 50)) names.insert(o.name);
  EXPECT_EQ(names, (std::set<std::string>{"Acme AS", "acme data", "ACMEX"}));
}

TEST_F(Organisations, TreatsPercentUnderscoreAndBackslashInTheNamePrefixLiterally) {
  Create(ValidOrgno(0), "100% Data");
  Create(ValidOrgno(1), "100 Data");
  Create(ValidOrgno(2), "1000 Data");
  Create(ValidOrgno(3), "a_b");
  Create(ValidOrgno(4), "axb");
  Create(ValidOrgno(5), "back\\slash");
  Create(ValidOrgno(6), "backxslash");
  auto names = [&](const std::string& prefix) {
    domain::OrganisationFilter filter;
    filter.name_prefix = prefix;
    std::set<std::string> out;
    for (const auto& o : ListAll(filter, 50)) out.insert(o.name);
    return out;
  };
  EXPECT_EQ(names("100%"), (std::set<std::string>{"100% Data"}));
  EXPECT_EQ(names("a_"), (std::set<std::string>{"a_b"}));
  EXPECT_EQ(names("%"), (std::set<std::string>{}));
  EXPECT_EQ(names("_"), (std::set<std::string>{}));
  EXPECT_EQ(names("back\\"), (std::set<std::string>{"back\\slash"}));
}

TEST_F(Organisations, PaginatesAFilteredListing) {
  for (int i = 0; i < 12; ++i)
    Create(ValidOrgno(i), (i % 2 == 0 ? "Even " : "Odd ") + std::to_string(i));
  domain::OrganisationFilter filter;
  filter.name_prefix = "even";
  int pages = 0;
  const auto all = ListAll(filter, 4, &pages);
  EXPECT_EQ(all.size(), 6u);
  EXPECT_EQ(pages, 2);
  for (const auto& o : all) EXPECT_EQ(o.name.rfind("Even", 0), 0u);
}

TEST_F(Organisations, RestrictsAListingToOneOrganisation) {
  for (int i = 0; i < 5; ++i) Create(ValidOrgno(i), "Org");
  domain::OrganisationFilter filter;
  filter.only_orgno = ValidOrgno(3);
  const auto all = ListAll(filter, 2);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].orgno, ValidOrgno(3));
}

TEST_F(Organisations, RejectsAMalformedCursorAsABadRequest) {
  try {
    repo_->List({}, {"!!", 10});
    FAIL() << "accepted";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
  }
}

TEST_F(Organisations, UpdatesWithTheExpectedVersionAndBumpsIt) {
  const auto created = Create("974760673", "Acme AS");
  auto next = created;
  next.name = "Acme Holding AS";
  next.contacts.push_back({"Ola", "ola@example.no", "", "incident"});
  const auto updated =
      repo_->Update(next, 1, Event("organisation.update", "974760673", "974760673"));
  EXPECT_EQ(updated.version, 2);
  EXPECT_EQ(updated.name, "Acme Holding AS");
  EXPECT_EQ(updated.contacts.size(), 2u);
  EXPECT_EQ(updated.created_at, created.created_at);
  EXPECT_GE(updated.updated_at, created.updated_at);
  EXPECT_EQ(repo_->Find("974760673")->version, 2);
  EXPECT_EQ(db_->AuditCount(), 2);
}

TEST_F(Organisations, RefusesAnUpdateBasedOnAStaleVersion) {
  const auto created = Create("974760673", "Acme AS");
  auto first = created;
  first.name = "First";
  repo_->Update(first, 1, Event("organisation.update"));
  auto second = created;
  second.name = "Second";
  try {
    repo_->Update(second, 1, Event("organisation.update"));
    FAIL() << "stale update accepted";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kPreconditionFailed);
  }
  const auto found = repo_->Find("974760673");
  EXPECT_EQ(found->name, "First");
  EXPECT_EQ(found->version, 2);
  EXPECT_EQ(db_->AuditCount(), 2);
}

TEST_F(Organisations, ReportsAnUpdateOfAMissingOrganisationAsNotFound) {
  try {
    repo_->Update(Org("974760673", "Ghost"), 1, Event("organisation.update"));
    FAIL() << "no error";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
  EXPECT_EQ(db_->AuditCount(), 0);
}

// Fail-closed: the audit event is written in the change's transaction, so a change
// whose audit append fails must not happen. The append fails for real here: the
// audit_events_detail_json constraint rejects a detail that is not JSON.
TEST_F(Organisations, CreatesNothingWhenTheAuditAppendFails) {
  auto audit = Event("organisation.create", "974760673", "974760673");
  audit.detail_json = "this is not json";
  EXPECT_THROW(repo_->Create(Org("974760673", "Acme AS"), audit), AppError);
  EXPECT_FALSE(repo_->Find("974760673"));
  EXPECT_EQ(db_->AuditCount(), 0);
}

TEST_F(Organisations, ChangesNothingWhenTheAuditAppendOfAnUpdateFails) {
  Create("974760673", "Acme AS");
  auto next = Org("974760673", "Renamed");
  auto audit = Event("organisation.update", "974760673", "974760673");
  audit.detail_json = "{broken";
  EXPECT_THROW(repo_->Update(next, 1, audit), AppError);
  const auto found = repo_->Find("974760673");
  EXPECT_EQ(found->name, "Acme AS");
  EXPECT_EQ(found->version, 1);
  EXPECT_EQ(db_->AuditCount(), 1);
}

// A writer that ignores the chain lock takes the next sequence number while a create's
// event is being sealed: the create (committed with its event in the audit queue) stands,
// its event is not lost but stays queued, and the next seal chains it after the rogue
// row, which the verification then reports.
TEST_F(Organisations, KeepsTheEventOfACreateWhenAConflictingAuditWriterTakesItsSequenceNumber) {
  Create(ValidOrgno(0), "First");  // seq 1
  auto rogue = db_->Connect();
  rogue->ExecSimple("BEGIN");
  rogue->ExecSimple(
      "INSERT INTO audit_events (seq, occurred_at, actor, role, action, target_type, target_id, "
      "outcome, detail, "
      "prev_hash, hash) SELECT 2, now(), 'rogue', 'system', 'x', 'x', 'x', 'success', '{}', hash, "
      "repeat('f', 64) "
      "FROM audit_events WHERE seq = 1");
  auto create = std::async(std::launch::async, [&] { Create("974760673", "Acme AS"); });
  // Wait until the seal is blocked on the rogue row's unique index entry.
  const bool blocked = WaitUntil(
      [&] {
        return QueryInt(
                   db_->url(),
                   "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                   "wait_event_type = 'Lock' AND query LIKE '%audit_seal_queue%'") == 1;
      },
      10s);
  if (!blocked) rogue->ExecSimple("ROLLBACK");  // let the create finish rather than hang
  ASSERT_TRUE(blocked);
  rogue->ExecSimple("COMMIT");
  EXPECT_NO_THROW(create.get());
  EXPECT_TRUE(repo_->Find("974760673"));
  EXPECT_EQ(
      QueryInt(db_->url(), "SELECT count(*) FROM audit_queue WHERE action = 'organisation.create'"),
      1);
  auto conn = db_->Connect();
  EXPECT_EQ(db::SealAuditQueue(*conn), 1);
  EXPECT_EQ(QueryScalar(db_->url(), "SELECT seq FROM audit_events WHERE target_id = '974760673'"),
            "3");
  const auto v = db_->VerifyAudit();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.broken_seq, 2);
}

TEST_F(Organisations, ConcurrentCreatesFromManyThreadsBuildOneIntactChain) {
  constexpr int kThreads = 4, kEach = 15;
  std::vector<std::future<int>> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.push_back(std::async(std::launch::async, [&, t] {
      int ok = 0;
      for (int i = 0; i < kEach; ++i) {
        Create(ValidOrgno(t * kEach + i), "Org");
        ++ok;
      }
      return ok;
    }));
  }
  int total = 0;
  for (auto& w : workers) total += w.get();
  EXPECT_EQ(total, kThreads * kEach);
  const auto v = db_->VerifyAudit();
  EXPECT_TRUE(v.intact) << v.reason;
  EXPECT_EQ(v.checked, kThreads * kEach);
}

}  // namespace
}  // namespace onboard::testsupport
