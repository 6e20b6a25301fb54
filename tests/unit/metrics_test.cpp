#include <gtest/gtest.h>

#include <sstream>

#include "metrics.hpp"

namespace onboard::http {
namespace {

std::string LineStarting(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) return line;
  }
  return {};
}

TEST(Metrics, CountsRequestsByRouteTemplateMethodAndStatus) {
  Metrics m;
  m.Observe("/v1/organisations/{orgno}", "GET", 200, 0.001);
  m.Observe("/v1/organisations/{orgno}", "GET", 200, 0.001);
  m.Observe("/v1/organisations/{orgno}", "GET", 404, 0.001);
  const std::string text = m.Render("");
  EXPECT_NE(text.find("# TYPE onboard_http_requests_total counter"), std::string::npos);
  EXPECT_NE(text.find("onboard_http_requests_total{route=\"/v1/organisations/"
                      "{orgno}\",method=\"GET\",status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("onboard_http_requests_total{route=\"/v1/organisations/"
                      "{orgno}\",method=\"GET\",status=\"404\"} 1\n"),
            std::string::npos)
      << text;
}

TEST(Metrics, KeepsACumulativeLatencyHistogramPerRoute) {
  Metrics m;
  m.Observe("/healthz", "GET", 200, 0.0002);  // first bucket
  m.Observe("/healthz", "GET", 200, 0.03);    // 0.05 bucket
  m.Observe("/healthz", "GET", 200, 10.0);    // only +Inf
  const std::string text = m.Render("");
  EXPECT_NE(text.find("# TYPE onboard_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_EQ(
      LineStarting(
          text, "onboard_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.0005\"}"),
      "onboard_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.0005\"} 1");
  EXPECT_EQ(
      LineStarting(text,
                   "onboard_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.05\"}"),
      "onboard_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.05\"} 2");
  EXPECT_EQ(
      LineStarting(text,
                   "onboard_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"2.5\"}"),
      "onboard_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"2.5\"} 2");
  EXPECT_EQ(
      LineStarting(text,
                   "onboard_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"}"),
      "onboard_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 3");
  EXPECT_EQ(LineStarting(text, "onboard_http_request_duration_seconds_count{route=\"/healthz\"}"),
            "onboard_http_request_duration_seconds_count{route=\"/healthz\"} 3");
}

TEST(Metrics, EscapesQuotesAndBackslashesInLabels) {
  Metrics m;
  m.Observe("a\"b\\c", "GET", 200, 0.001);
  const std::string text = m.Render("");
  EXPECT_NE(text.find("route=\"a\\\"b\\\\c\""), std::string::npos) << text;
}

TEST(Metrics, AppendsExtraTextVerbatim) {
  Metrics m;
  const std::string text = m.Render("my_gauge 7\n");
  EXPECT_EQ(text.substr(text.size() - 11), "my_gauge 7\n");
}

}  // namespace
}  // namespace onboard::http
