#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace onboard::http {

/// In-process Prometheus metrics: requests by route/method/status and a latency
/// histogram by route. Thread-safe: each thread counts into one of a few shards (its own
/// lock, so request threads do not queue on one mutex); Render merges them.
class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  void Observe(const std::string& route, const std::string& method, int status, double seconds);

  /// Renders the text exposition format; `extra` is appended verbatim (gauges owned by
  /// others, such as the DB pool), then what the gauge source gives.
  std::string Render(const std::string& extra) const;
  /// Text appended to every Render (e.g. the HTTP server's connection gauges); empty
  /// function: none. Set before requests are served and cleared after.
  void SetGaugeSource(std::function<std::string()> source);

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::map<std::tuple<std::string, std::string, int>, uint64_t> requests;
    std::map<std::string, Histogram, std::less<>> latency;
  };
  static constexpr std::size_t kShards = 8;
  std::array<Shard, kShards> shards_;
  std::atomic<std::size_t> next_shard_{0};
  mutable std::mutex source_mutex_;
  std::function<std::string()> source_;
};

}  // namespace onboard::http
