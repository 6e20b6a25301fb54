#include "metrics.hpp"

#include <sstream>

namespace onboard::http {

namespace {
std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}
}  // namespace

void Metrics::Observe(const std::string& route, const std::string& method, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{route, method, status}];
  Histogram& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::Render(const std::string& extra) const {
  std::ostringstream out;
  std::lock_guard<std::mutex> lock(mutex_);
  out << "# HELP onboard_http_requests_total HTTP requests by route template, method and status.\n"
      << "# TYPE onboard_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out << "onboard_http_requests_total{route=\"" << Escape(std::get<0>(key)) << "\",method=\""
        << Escape(std::get<1>(key)) << "\",status=\"" << std::get<2>(key) << "\"} " << n << "\n";
  }
  out << "# HELP onboard_http_request_duration_seconds Request latency by route template.\n"
      << "# TYPE onboard_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    const std::string r = Escape(route);
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out << "onboard_http_request_duration_seconds_bucket{route=\"" << r << "\",le=\"" << kBuckets[i] << "\"} "
          << h.buckets[i] << "\n";
    }
    out << "onboard_http_request_duration_seconds_bucket{route=\"" << r << "\",le=\"+Inf\"} " << h.count << "\n";
    out << "onboard_http_request_duration_seconds_sum{route=\"" << r << "\"} " << h.sum << "\n";
    out << "onboard_http_request_duration_seconds_count{route=\"" << r << "\"} " << h.count << "\n";
  }
  out << extra;
  return out.str();
}

}  // namespace onboard::http
