// Idle keep-alive connections hold no worker (issue #19): with two workers, hundreds of
// open keep-alive connections are parked, a new request is answered at once, every parked
// connection still carries its next request, and GET /metrics counts them.
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <regex>

#include "e2e_helpers.hpp"

namespace onboard::testsupport {
namespace {

using Clock = std::chrono::steady_clock;

struct TwoWorkers {
  static std::map<std::string, std::string> Env() {
    return {{"ONBOARD_HTTP_MAX_THREADS", "2"}, {"ONBOARD_HTTP_KEEP_ALIVE_TIMEOUT_S", "30"}};
  }
};
using Connections = ApiSuite<TwoWorkers>;

struct Fetched {
  int status = 0;  // 0: no whole answer came
  std::string body;
};

// One GET `path` on `socket`.
Fetched Fetch(Poco::Net::StreamSocket& socket, const std::string& path) {
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
  socket.sendBytes(request.data(), static_cast<int>(request.size()));
  std::string in;
  char buf[4096];
  while (in.find("\r\n\r\n") == std::string::npos) {
    const int n = socket.receiveBytes(buf, sizeof buf);
    if (n <= 0) return {};
    in.append(buf, static_cast<std::size_t>(n));
  }
  const std::size_t head = in.find("\r\n\r\n") + 4;
  std::smatch m;
  if (std::regex_search(in, m, std::regex("Content-Length: (\\d+)", std::regex::icase))) {
    const std::size_t want = head + std::stoul(m[1]);
    while (in.size() < want) {
      const int n = socket.receiveBytes(buf, sizeof buf);
      if (n <= 0) return {};
      in.append(buf, static_cast<std::size_t>(n));
    }
  }
  return {std::atoi(in.c_str() + 9), in.substr(head)};
}

// One GET /healthz on `socket`: its status, or 0 when no whole answer came.
int Healthz(Poco::Net::StreamSocket& socket) { return Fetch(socket, "/healthz").status; }

std::unique_ptr<Poco::Net::StreamSocket> Open(int port) {
  auto s = std::make_unique<Poco::Net::StreamSocket>();
  s->connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)),
             Poco::Timespan(5, 0));
  s->setReceiveTimeout(Poco::Timespan(10, 0));
  return s;
}

double Gauge(const std::string& metrics, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(metrics, m, std::regex("\n" + name + " ([0-9.e+]+)\n"))) return -1;
  return std::stod(m[1]);
}

TEST_F(Connections, HundredsOfIdleKeepAliveConnectionsAreParkedAndTwoWorkersStillAnswerAtOnce) {
  constexpr int kIdle = 300;
  std::vector<std::unique_ptr<Poco::Net::StreamSocket>> idle;
  for (int i = 0; i < kIdle; ++i) {
    auto s = Open(env().api->port());
    ASSERT_EQ(Healthz(*s), 200) << "connection " << i;
    idle.push_back(std::move(s));
  }
  // Every one of them is open and idle: a new request does not wait for a worker.
  for (int i = 0; i < 20; ++i) {
    const auto t0 = Clock::now();
    const HttpResponse r = env().http->Get("/healthz");
    EXPECT_EQ(r.status, 200) << r.Describe();
    EXPECT_LT(Clock::now() - t0, 500ms) << "a new request waited behind idle connections";
  }
  const HttpResponse metrics = env().http->Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_GE(Gauge("\n" + metrics.body, "onboard_http_connections_parked"), kIdle) << metrics.body;
  EXPECT_GE(Gauge("\n" + metrics.body, "onboard_http_connections_open"), kIdle);
  EXPECT_EQ(Gauge("\n" + metrics.body, "onboard_http_workers"), 2);
  EXPECT_GE(Gauge("\n" + metrics.body, "onboard_http_worker_busy_seconds_total"), 0);
  EXPECT_EQ(Gauge("\n" + metrics.body, "onboard_http_shed_total"), 0);
  // Each parked connection carries its next request (none was closed to free a worker).
  for (int i = 0; i < kIdle; ++i) EXPECT_EQ(Healthz(*idle[static_cast<std::size_t>(i)]), 200) << i;
}

// With 16 connections sending at once on two workers, every response parks its connection
// and every next request hands it to a worker again, thousands of times a second, while
// others wait in the queue: no request may be lost between parking, the poller and the
// queue (a lost hand-off hangs that connection until its timeout).
TEST_F(Connections, SixteenBusyConnectionsOnTwoWorkersAreEachAnsweredEveryTime) {
  constexpr int kConnections = 16;
  constexpr int kRequests = 300;
  std::vector<std::thread> clients;
  std::atomic<int> answered{0};
  std::atomic<int64_t> slowest_ms{0};
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  for (int c = 0; c < kConnections; ++c) {
    clients.emplace_back([&, c] {
      Poco::Net::StreamSocket s;
      s.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(env().api->port())),
                Poco::Timespan(5, 0));
      s.setReceiveTimeout(Poco::Timespan(5, 0));
      for (int i = 0; i < kRequests; ++i) {
        const auto t0 = Clock::now();
        int status = 0;
        try {
          status = Healthz(s);
        } catch (const Poco::Exception&) {
          status = -1;
        }
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
        int64_t seen = slowest_ms.load();
        while (ms > seen && !slowest_ms.compare_exchange_weak(seen, ms)) {
        }
        if (status != 200) {
          std::lock_guard<std::mutex> lock(failures_mutex);
          failures.push_back("connection " + std::to_string(c) + " request " + std::to_string(i) +
                             ": status " + std::to_string(status) + " after " + std::to_string(ms) +
                             " ms");
          return;
        }
        answered.fetch_add(1);
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_TRUE(failures.empty()) << failures.front();
  EXPECT_EQ(answered.load(), kConnections * kRequests);
  // A lost hand-off shows as a wait of the poller's rounds or the 5 s receive timeout;
  // scheduling on a loaded host stays well below that.
  EXPECT_LT(slowest_ms.load(), 900) << "a request waited for a hand-off that did not come";
  const HttpResponse metrics = env().http->Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(Gauge("\n" + metrics.body, "onboard_http_shed_total"), 0) << metrics.body;
}

TEST_F(Connections, PipelinedRequestsOnAParkedConnectionAreAnsweredInOrder) {
  Poco::Net::StreamSocket s;
  s.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(env().api->port())),
            Poco::Timespan(5, 0));
  s.setReceiveTimeout(Poco::Timespan(5, 0));
  ASSERT_EQ(Healthz(s), 200);
  std::this_thread::sleep_for(200ms);  // parked
  const std::string two =
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n";
  s.sendBytes(two.data(), static_cast<int>(two.size()));
  std::string in;
  char buf[4096];
  const auto until = Clock::now() + 5s;
  while (Clock::now() < until &&
         (in.find("HTTP/1.1 404") == std::string::npos || in.rfind("}") != in.size() - 1)) {
    const int n = s.receiveBytes(buf, sizeof buf);
    if (n <= 0) break;
    in.append(buf, static_cast<std::size_t>(n));
  }
  const auto ok = in.find("HTTP/1.1 200");
  const auto missing = in.find("HTTP/1.1 404");
  ASSERT_NE(ok, std::string::npos) << in;
  ASSERT_NE(missing, std::string::npos) << in;
  EXPECT_LT(ok, missing) << in;
}

// A free worker keeps the connection it has just answered for its next request
// (http.keep_while_free_ms, 5 s here so that only a take-back can explain a quick answer).
struct KeepWhileFree {
  static std::map<std::string, std::string> Env() {
    return {{"ONBOARD_HTTP_MAX_THREADS", "2"},
            {"ONBOARD_HTTP_KEEP_WHILE_FREE_MS", "5000"},
            {"ONBOARD_HTTP_KEEP_ALIVE_TIMEOUT_S", "30"}};
  }
};
using KeptConnections = ApiSuite<KeepWhileFree>;

TEST_F(KeptConnections, AWorkerKeepingAnIdleConnectionIsTakenBackAtOnceForAnother) {
  auto a = Open(env().api->port());
  auto b = Open(env().api->port());
  ASSERT_EQ(Healthz(*a), 200);
  ASSERT_EQ(Healthz(*b), 200);
  std::this_thread::sleep_for(100ms);
  // Both workers keep one connection; a's request goes to a's keeper and sees b's.
  const Fetched kept = Fetch(*a, "/metrics");
  ASSERT_EQ(kept.status, 200);
  EXPECT_EQ(Gauge("\n" + kept.body, "onboard_http_connections_kept"), 1) << kept.body;
  EXPECT_EQ(Gauge("\n" + kept.body, "onboard_http_workers_busy"), 1) << kept.body;
  EXPECT_EQ(Gauge("\n" + kept.body, "onboard_http_connections_parked"), 0) << kept.body;
  std::this_thread::sleep_for(1500ms);  // kept all along: not busy time
  // A third connection finds both workers keeping: one is taken back for it at once.
  for (int i = 0; i < 5; ++i) {
    const auto t0 = Clock::now();
    const HttpResponse r = env().http->Get("/healthz");  // a new connection each time
    EXPECT_EQ(r.status, 200) << r.Describe();
    EXPECT_LT(Clock::now() - t0, 1s) << "a new connection waited for a keeping worker";
  }
  // The connections that were given up still carry their next request.
  EXPECT_EQ(Healthz(*a), 200);
  EXPECT_EQ(Healthz(*b), 200);
  const Fetched after = Fetch(*a, "/metrics");
  ASSERT_EQ(after.status, 200);
  EXPECT_LT(Gauge("\n" + after.body, "onboard_http_worker_busy_seconds_total"), 1.0)
      << "time spent keeping counted as busy: " << after.body;
  EXPECT_EQ(Gauge("\n" + after.body, "onboard_http_shed_total"), 0) << after.body;
}

// Two connections sending as fast as they can are each kept by a worker between their
// requests, while new connections keep arriving and must each take a worker back at once:
// no request may be lost between keeping, the take-back, parking and the poller.
TEST_F(KeptConnections, BusyKeptConnectionsAndNewOnesAreEachAnsweredEveryTime) {
  std::atomic<bool> done{false};
  std::atomic<int> answered{0};
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  const auto fail = [&](const std::string& what) {
    std::lock_guard<std::mutex> lock(failures_mutex);
    failures.push_back(what);
  };
  std::vector<std::thread> busy;
  for (int c = 0; c < 2; ++c) {
    busy.emplace_back([&, c] {
      auto s = Open(env().api->port());
      while (!done.load()) {
        const auto t0 = Clock::now();
        int status = -1;
        try {
          status = Healthz(*s);
        } catch (const Poco::Exception&) {
        }
        if (status != 200 || Clock::now() - t0 > 1s) {
          fail("busy connection " + std::to_string(c) + ": status " + std::to_string(status));
          return;
        }
        answered.fetch_add(1);
      }
    });
  }
  for (int i = 0; i < 100; ++i) {
    const auto t0 = Clock::now();
    const HttpResponse r = env().http->Get("/healthz");
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
    if (r.status != 200 || ms > 1s)
      fail("new connection " + std::to_string(i) + ": status " + std::to_string(r.status) +
           " after " + std::to_string(ms.count()) + " ms");
    std::this_thread::sleep_for(5ms);
  }
  done.store(true);
  for (auto& t : busy) t.join();
  EXPECT_TRUE(failures.empty()) << failures.front();
  EXPECT_GT(answered.load(), 200);
}

// A stop does not wait for the workers that keep connections: they give them up at once.
TEST_F(KeptConnections, AStopClosesKeptConnectionsAtOnce) {
  auto env_map = KeepWhileFree::Env();
  ApiProcess api(env().db->url(), env_map);
  auto s = Open(api.port());
  ASSERT_EQ(Healthz(*s), 200);
  std::this_thread::sleep_for(100ms);  // kept (5 s)
  const auto t0 = Clock::now();
  EXPECT_EQ(api.Terminate(10s), std::optional<int>(0));
  EXPECT_LT(Clock::now() - t0, 2500ms) << "the stop waited for a kept connection";
  char byte = 0;
  int n = -1;
  try {
    n = s->receiveBytes(&byte, 1);
  } catch (const Poco::Exception&) {
    n = 0;  // reset: closed as well
  }
  EXPECT_EQ(n, 0) << "the kept connection is closed";
}

}  // namespace
}  // namespace onboard::testsupport
