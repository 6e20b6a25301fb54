// The audit documents (usecases/audit_documents.*): the reports' CSV rows and JSON figures
// read one table of named counts per report, and the monthly page renders them; no HTTP.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include "audit_documents.hpp"

namespace onboard::usecases {
namespace {

domain::DeliveriesReport Deliveries() {
  domain::DeliveriesReport r;
  r.sms_succeeded = 3;
  r.sms_failed = 1;
  r.sms_pending = 2;
  r.email_sent = 4;
  r.email_pending = 1;
  r.failures = {{"sms", "30003", 1}};
  return r;
}

TEST(AuditDocuments, WritesOneCsvRowPerFigureInTheReportsOrder) {
  EXPECT_EQ(ReportCsv(Deliveries()),
            "section,key,value\r\n"
            "sms,succeeded,3\r\nsms,failed,1\r\nsms,pending,2\r\n"
            "email,sent,4\r\nemail,failed,0\r\nemail,pending,1\r\n"
            "failures_sms,30003,1\r\n");
  domain::OnboardingReport o;
  o.cases_by_state = {{"open", 2}, {"approved", 1}};
  o.orders_submitted = 5;
  o.orders_approved = 4;
  o.median_time_to_production_s = 90.0;
  EXPECT_EQ(ReportCsv(o),
            "section,key,value\r\n"
            "cases_by_state,open,2\r\ncases_by_state,approved,1\r\n"
            "production_orders,submitted,5\r\nproduction_orders,approved,4\r\n"
            "production_orders,rejected,0\r\n"
            "time_to_production,approvals_measured,0\r\ntime_to_production,median_s,90.000\r\n"
            "time_to_production,p90_s,\r\norders_waiting,count,0\r\n");
}

TEST(AuditDocuments, GivesTheSameCountsAsJsonWithSuccessRates) {
  const Poco::JSON::Object body = ReportJson({0, 86400000000, ""}, Deliveries());
  // The sections are held by value, as json::Text writes them.
  const auto sms = body.get("sms").extract<Poco::JSON::Object>();
  EXPECT_EQ(sms.getValue<int64_t>("succeeded"), 3);
  EXPECT_EQ(sms.getValue<int64_t>("pending"), 2);
  EXPECT_DOUBLE_EQ(sms.getValue<double>("success_rate"), 0.75);
  const auto email = body.get("email").extract<Poco::JSON::Object>();
  EXPECT_EQ(email.getValue<int64_t>("sent"), 4);
  EXPECT_DOUBLE_EQ(email.getValue<double>("success_rate"), 1.0);
  EXPECT_TRUE(body.isNull("organisation"));
  EXPECT_EQ(body.getValue<std::string>("from").rfind("1970-01-01T00:00:00", 0), 0u);
  EXPECT_EQ(body.get("failures_by_code").extract<Poco::JSON::Array>().size(), 1u);
}

TEST(AuditDocuments, AnIntactChainReportCarriesNoBreakMembers) {
  domain::ChainReport intact;
  intact.intact = true;
  EXPECT_FALSE(ChainReportJson(intact).has("reason"));
  domain::ChainReport broken;
  broken.intact = false;
  broken.reason = "hash mismatch";
  const Poco::JSON::Object out = ChainReportJson(broken);
  EXPECT_EQ(out.getValue<std::string>("reason"), "hash mismatch");
  EXPECT_TRUE(out.has("expected_hash"));
}

TEST(AuditDocuments, TheMonthlyPageShowsTheCountsOfEverySection) {
  MonthlyReport m;
  m.label = "2026-11";
  m.deliveries = Deliveries();
  m.credentials.issued = 17;
  m.onboarding.orders_rejected = 9;
  const std::string html = MonthlyReportHtml(m);
  EXPECT_NE(html.find("2026-11"), std::string::npos);
  EXPECT_NE(html.find("75.0"), std::string::npos);  // SMS success in per cent
  EXPECT_NE(html.find("17"), std::string::npos);
  EXPECT_NE(html.find("chart-orders"), std::string::npos);
}

}  // namespace
}  // namespace onboard::usecases
