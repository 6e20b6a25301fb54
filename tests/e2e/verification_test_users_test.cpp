#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "test_users.hpp"
#include "verification_e2e.hpp"

namespace onboard::testsupport::verification {
namespace {

class TestUsersApi : public ::testing::Test {
 protected:
  void SetUp() override {
    svc.CreateOrganisation(orgno);
    svc.CreateOrganisation(other_orgno);
  }

  std::string Path(const std::string& org) const {
    return "/v1/organisations/" + org + "/test-users";
  }

  HttpResponse Allocate(const std::string& org, std::optional<int> count, const Headers& as) const {
    Poco::JSON::Object body;
    if (count) body.set("count", *count);
    return svc.Post(Path(org), body, as);
  }

  Service svc;
  const std::string orgno = ValidOrgno(31);
  const std::string other_orgno = ValidOrgno(32);
};

std::vector<std::string> Pids(const HttpResponse& r, const char* member = "items") {
  std::vector<std::string> out;
  auto items = r.json->getArray(member);
  for (std::size_t i = 0; i < items->size(); ++i) {
    out.push_back(std::string(member) == "items"
                      ? items->getObject(static_cast<unsigned>(i))->getValue<std::string>("pid")
                      : items->getElement<std::string>(static_cast<unsigned>(i)));
  }
  return out;
}

TEST_F(TestUsersApi, AllocatesFiveSyntheticNumbersByDefault) {
  const HttpResponse r = Allocate(orgno, std::nullopt, svc.Operator());
  ASSERT_EQ(r.status, 201) << r.Describe();
  const auto pids = Pids(r);
  ASSERT_EQ(pids.size(), 5u);
  const auto generated = Pids(r, "generated");
  EXPECT_EQ(std::set<std::string>(generated.begin(), generated.end()),
            std::set<std::string>(pids.begin(), pids.end()));
  for (const auto& pid : pids) EXPECT_TRUE(domain::IsSyntheticPid(pid)) << pid;
  EXPECT_EQ(std::set<std::string>(pids.begin(), pids.end()).size(), 5u);
  EXPECT_EQ(AuditCount(svc.db(), "test_users.allocate"), 1);
}

TEST_F(TestUsersApi, ReusesExistingNumbersAndGeneratesOnlyTheShortfall) {
  const auto first = Pids(Allocate(orgno, 5, svc.Operator()));
  const HttpResponse more = Allocate(orgno, 8, svc.Portal(orgno));
  ASSERT_EQ(more.status, 201) << more.Describe();
  const auto all = Pids(more);
  ASSERT_EQ(all.size(), 8u);
  EXPECT_EQ(std::vector<std::string>(all.begin(), all.begin() + 5), first);
  EXPECT_EQ(Pids(more, "generated").size(), 3u);

  const int64_t before = svc.db().AuditCount();
  const HttpResponse enough = Allocate(orgno, 3, svc.Operator());
  ASSERT_EQ(enough.status, 200) << enough.Describe();
  EXPECT_EQ(Pids(enough), all);
  EXPECT_TRUE(Pids(enough, "generated").empty());
  EXPECT_EQ(svc.db().AuditCount(), before);
  EXPECT_EQ(AuditCount(svc.db(), "test_users.allocate"), 2);
  EXPECT_EQ(Pids(svc.http().Get(Path(orgno), svc.Portal(orgno))), all);
}

TEST_F(TestUsersApi, ConcurrentTopUpsNeverOvershoot) {
  std::vector<std::thread> threads;
  std::vector<int> statuses(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      statuses[static_cast<std::size_t>(i)] = Allocate(orgno, 10, svc.Operator()).status;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 1);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 3);
  EXPECT_EQ(QueryInt(svc.db().url(),
                     "SELECT count(*) FROM test_users WHERE organisation = '" + orgno + "'"),
            10);
  EXPECT_EQ(AuditCount(svc.db(), "test_users.allocate"), 1);
}

TEST_F(TestUsersApi, ReleasedNumbersStayWithTheirOrganisation) {
  const auto pids = Pids(Allocate(orgno, 2, svc.Operator()));
  const std::string released = pids[0];
  EXPECT_EQ(svc.http().Delete(Path(orgno) + "/" + released, svc.Portal(orgno)).status, 403);
  EXPECT_EQ(svc.http().Delete(Path(other_orgno) + "/" + released, svc.Operator()).status, 404);

  HttpResponse r = svc.http().Delete(Path(orgno) + "/" + released, svc.Operator());
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json->getValue<std::string>("state"), "released");
  EXPECT_EQ(AuditCount(svc.db(), "test_users.release"), 1);
  r = svc.http().Delete(Path(orgno) + "/" + released, svc.Operator());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(AuditCount(svc.db(), "test_users.release"), 1);

  EXPECT_EQ(Pids(svc.http().Get(Path(orgno), svc.Operator())), std::vector<std::string>{pids[1]});
  EXPECT_EQ(Pids(svc.http().Get(Path(orgno) + "?include_released=true", svc.Operator())).size(),
            2u);

  // Topping up again replaces it with a fresh number, never the released one.
  const auto after = Pids(Allocate(orgno, 2, svc.Operator()));
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0], pids[1]);
  EXPECT_NE(after[1], released);

  // The pool refuses the number for anyone else, and the row can never move.
  EXPECT_ANY_THROW(
      ExecSql(svc.db().url(), "INSERT INTO test_users (pid, organisation, allocated_by) VALUES ('" +
                                  released + "', '" + other_orgno + "', 'x')"));
  EXPECT_ANY_THROW(ExecSql(svc.db().url(), "UPDATE test_users SET organisation = '" + other_orgno +
                                               "' WHERE pid = '" + pids[1] + "'"));
  EXPECT_ANY_THROW(
      ExecSql(svc.db().url(), "DELETE FROM test_users WHERE pid = '" + released + "'"));
  EXPECT_TRUE(svc.db().VerifyAudit().intact);
}

TEST_F(TestUsersApi, PortalsSeeOnlyTheirOwnOrganisation) {
  ASSERT_EQ(Allocate(orgno, 2, svc.Operator()).status, 201);
  const HttpResponse foreign = svc.http().Get(Path(orgno), svc.Portal(other_orgno));
  const HttpResponse unknown = svc.http().Get(Path(ValidOrgno(39)), svc.Portal(other_orgno));
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(foreign.json->getValue<std::string>("detail"),
            unknown.json->getValue<std::string>("detail"));
  EXPECT_EQ(Allocate(orgno, 2, svc.Portal(other_orgno)).status, 404);
  EXPECT_EQ(Allocate(orgno, 2, svc.Auditor()).status, 403);
  EXPECT_EQ(svc.http().Get(Path(orgno), svc.Provider()).status, 403);
  EXPECT_EQ(Allocate(ValidOrgno(39), 2, svc.Operator()).status, 404);
}

TEST_F(TestUsersApi, RefusesCountsOutsideOneToFifty) {
  EXPECT_EQ(Allocate(orgno, 0, svc.Operator()).status, 400);
  EXPECT_EQ(Allocate(orgno, 51, svc.Operator()).status, 400);
  EXPECT_EQ(Allocate(orgno, 50, svc.Operator()).status, 201);
  EXPECT_EQ(svc.http().Delete(Path(orgno) + "/12345678901", svc.Operator()).status, 404);
}

}  // namespace
}  // namespace onboard::testsupport::verification
