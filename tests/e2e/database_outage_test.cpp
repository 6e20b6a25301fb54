#include "e2e_helpers.hpp"

namespace onboard::testsupport {
namespace {

// The service reaches PostgreSQL through a TcpProxy; stopping the proxy is "the database
// went away" for this service alone, without touching the cluster other tests share.
class DatabaseOutage : public DatabaseBehindProxy {};

TEST_F(DatabaseOutage, Answers503WithRetryAfterWhileDownAndRecoversWithoutRestart) {
  ApiProcess api(via_proxy_, {{"ONBOARD_DATABASE_CONNECT_TIMEOUT_S", "1"}});
  HttpClient http(api.port());
  ASSERT_EQ(http.Get("/v1/organisations", Bearer(op_.secret)).status, 200);
  ASSERT_EQ(http.Get("/readyz").status, 200);

  proxy_->Stop();
  for (int i = 0; i < 3; ++i) {  // the stale pooled connection, then failed reconnects
    const HttpResponse r = http.Get("/v1/organisations", Bearer(op_.secret));
    ExpectProblem(r, 503, "");
    EXPECT_EQ(r.Header("Retry-After"), "2") << "attempt " << i;
  }
  const HttpResponse ready = http.Get("/readyz");
  ExpectProblem(ready, 503, "database_unavailable");
  EXPECT_EQ(ready.Header("Retry-After"), "2");
  EXPECT_EQ(http.Get("/healthz").status, 200) << "liveness must not depend on the database";
  const HttpResponse write =
      http.Post("/v1/organisations", OrgBody("974760673", "During outage"), Bearer(op_.secret));
  ExpectProblem(write, 503, "");

  proxy_->Start();
  const auto restarted = std::chrono::steady_clock::now();
  const bool back = WaitUntil(
      [&] { return http.Get("/v1/organisations", Bearer(op_.secret)).status == 200; }, 5s, 50ms);
  EXPECT_TRUE(back) << "the service did not answer 200 within 5 s of the database coming back";
  EXPECT_LT(std::chrono::steady_clock::now() - restarted, 5s);
  EXPECT_EQ(http.Get("/readyz").status, 200);
  EXPECT_TRUE(api.running());
  EXPECT_EQ(http.Post("/v1/organisations", OrgBody("974760673", "After outage"), Bearer(op_.secret))
                .status,
            201);
  EXPECT_EQ(QueryScalar(db_->url(), "SELECT name FROM organisations"), "After outage");
  const auto v = db_->VerifyAudit();
  EXPECT_TRUE(v.intact) << v.reason;
  EXPECT_EQ(v.checked, 2);  // the token and the organisation created after the outage
}

TEST_F(DatabaseOutage, TheServiceRefusesToStartWithoutItsDatabase) {
  proxy_->Stop();
  const CliResult r = RunCli({"serve"}, {{"ONBOARD_DATABASE_URL", via_proxy_},
                                         {"ONBOARD_HTTP_PORT", "0"},
                                         {"ONBOARD_SECRETS_PEPPER", kTestPepper},
                                         {"ONBOARD_SECRETS_KEK", kTestKek},
                                         {"ONBOARD_DATABASE_CONNECT_TIMEOUT_S", "1"}});
  EXPECT_EQ(r.exit_code, 69) << r.out << r.err;  // EX_UNAVAILABLE
  EXPECT_NE(r.out.find("start-up migration failed"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace onboard::testsupport
