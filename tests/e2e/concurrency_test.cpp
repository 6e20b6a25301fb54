#include <Poco/JSON/Parser.h>

#include <atomic>
#include <future>
#include <mutex>

#include "e2e_helpers.hpp"

namespace onboard::testsupport {
namespace {

// Two instances on one database, each hammered by four clients that create the same
// organisations in the same order, so every organisation is raced for by both instances.
TEST(Concurrency, TwoInstancesUnderLoadBuildOneIntactAuditChainWithOneEventPerChange) {
  constexpr int kThreads = 4, kPerThread = 50;
  TempDatabase db;
  const TestToken op = CreateToken(db.url(), domain::Role::kOperator, "load");
  ApiProcess a(db.url());
  ApiProcess b(db.url());
  const int64_t baseline = db.AuditCount();

  std::atomic<int> created{0}, conflicts{0};
  std::mutex mu;
  std::vector<std::string> unexpected;
  std::vector<std::future<void>> workers;
  for (ApiProcess* api : {&a, &b}) {
    for (int t = 0; t < kThreads; ++t) {
      workers.push_back(std::async(std::launch::async, [&, api, t] {
        HttpClient http(api->port());
        for (int i = 0; i < kPerThread; ++i) {
          const std::string orgno = ValidOrgno(t * kPerThread + i, 95000000);
          HttpResponse r;
          try {
            r = http.Post("/v1/organisations", OrgBody(orgno, "Load " + orgno), Bearer(op.secret));
          } catch (const std::exception& e) {
            std::lock_guard<std::mutex> lock(mu);
            unexpected.push_back(std::string("exception: ") + e.what());
            continue;
          }
          if (r.status == 201)
            ++created;
          else if (r.status == 409)
            ++conflicts;
          else {
            std::lock_guard<std::mutex> lock(mu);
            unexpected.push_back(r.Describe());
          }
        }
      }));
    }
  }
  for (auto& w : workers) w.get();

  EXPECT_TRUE(unexpected.empty()) << unexpected.size() << " unexpected answers, first: "
                                  << (unexpected.empty() ? "" : unexpected.front());
  EXPECT_EQ(created.load(), kThreads * kPerThread) << "each organisation is created exactly once";
  EXPECT_EQ(conflicts.load(), kThreads * kPerThread);
  EXPECT_EQ(QueryInt(db.url(), "SELECT count(*) FROM organisations"), created.load());
  EXPECT_EQ(db.AuditCount(), baseline + created.load())
      << "one audit event per successful change, none for failures";

  const CliResult verify = RunCli({"audit", "verify"}, {{"ONBOARD_DATABASE_URL", db.url()}});
  ASSERT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  Poco::JSON::Parser parser;
  auto out = parser.parse(verify.out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_TRUE(out->getValue<bool>("intact"));
  EXPECT_EQ(out->getValue<int64_t>("checked"), baseline + created.load());
  // Both instances did real work.
  EXPECT_GT(QueryInt(db.url(),
                     "SELECT count(DISTINCT request_id) FROM audit_events WHERE action = "
                     "'organisation.create'"),
            0);
  EXPECT_EQ(a.Terminate(10s), 0);
  EXPECT_EQ(b.Terminate(10s), 0);
}

}  // namespace
}  // namespace onboard::testsupport
