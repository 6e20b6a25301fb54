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

void Metrics::Observe(const std::string& route, const std::string& method, int status,
                      double seconds) {
  thread_local std::size_t shard_index = next_shard_.fetch_add(1) % kShards;
  Shard& shard = shards_[shard_index];
  std::lock_guard<std::mutex> lock(shard.mutex);
  ++shard.requests[{route, method, status}];
  auto it = shard.latency.find(route);
  if (it == shard.latency.end()) it = shard.latency.emplace(route, Histogram{}).first;
  Histogram& h = it->second;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::Render(const std::string& extra) const {
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests;
  std::map<std::string, Histogram> latency;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    for (const auto& [key, n] : shard.requests) requests[key] += n;
    for (const auto& [route, h] : shard.latency) {
      Histogram& m = latency[route];
      for (std::size_t i = 0; i < kBuckets.size(); ++i) m.buckets[i] += h.buckets[i];
      m.count += h.count;
      m.sum += h.sum;
    }
  }
  std::ostringstream out;
  out << "# HELP onboard_http_requests_total HTTP requests by route template, method and status.\n"
      << "# TYPE onboard_http_requests_total counter\n";
  for (const auto& [key, n] : requests) {
    out << "onboard_http_requests_total{route=\"" << Escape(std::get<0>(key)) << "\",method=\""
        << Escape(std::get<1>(key)) << "\",status=\"" << std::get<2>(key) << "\"} " << n << "\n";
  }
  out << "# HELP onboard_http_request_duration_seconds Request latency by route template.\n"
      << "# TYPE onboard_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency) {
    const std::string r = Escape(route);
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out << "onboard_http_request_duration_seconds_bucket{route=\"" << r << "\",le=\""
          << kBuckets[i] << "\"} " << h.buckets[i] << "\n";
    }
    out << "onboard_http_request_duration_seconds_bucket{route=\"" << r << "\",le=\"+Inf\"} "
        << h.count << "\n";
    out << "onboard_http_request_duration_seconds_sum{route=\"" << r << "\"} " << h.sum << "\n";
    out << "onboard_http_request_duration_seconds_count{route=\"" << r << "\"} " << h.count << "\n";
  }
  out << extra;
  {
    std::lock_guard<std::mutex> lock(source_mutex_);
    if (source_) out << source_();
  }
  return out.str();
}

void Metrics::SetGaugeSource(std::function<std::string()> source) {
  std::lock_guard<std::mutex> lock(source_mutex_);
  source_ = std::move(source);
}

}  // namespace onboard::http
