// Reliability at the HTTP edge (label reliability): overload sheds with 503 quickly and
// keeps serving, slow and malformed requests get a 4xx/5xx problem quickly and free their
// worker, and bad input in every field of a registration changes nothing.
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <future>
#include <thread>

#include "e2e_helpers.hpp"

namespace onboard::testsupport {
namespace {

using Clock = std::chrono::steady_clock;

// A raw connection to the service the test controls byte by byte.
class RawConnection {
 public:
  explicit RawConnection(int port) {
    socket_.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)),
                    Poco::Timespan(5, 0));
    socket_.setReceiveTimeout(Poco::Timespan(15, 0));
  }
  void Send(const std::string& bytes) {
    socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
  }
  // Reads until the server closes or `timeout`; returns what arrived.
  std::string ReadAll(std::chrono::milliseconds timeout = 15s) {
    socket_.setReceiveTimeout(
        Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(timeout.count()) * 1000));
    std::string out;
    char buf[4096];
    try {
      while (true) {
        const int n = socket_.receiveBytes(buf, sizeof buf);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
      }
    } catch (const Poco::Exception&) {
    }
    return out;
  }
  static int StatusOf(const std::string& response) {
    return response.rfind("HTTP/1.", 0) == 0 && response.size() > 12
               ? std::atoi(response.c_str() + 9)
               : 0;
  }

 private:
  Poco::Net::StreamSocket socket_;
};

int64_t RssKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6);
  }
  return -1;
}

struct SmallPoolConfig {
  static std::map<std::string, std::string> Env() {
    return {{"ONBOARD_HTTP_MAX_THREADS", "2"},
            {"ONBOARD_HTTP_MAX_QUEUED", "2"},
            {"ONBOARD_HTTP_HEADER_TIMEOUT_S", "1"},
            {"ONBOARD_HTTP_REQUEST_TIMEOUT_S", "2"},
            {"ONBOARD_HTTP_KEEP_ALIVE_TIMEOUT_S", "10"}};
  }
};
using HttpLimits = ApiSuite<SmallPoolConfig>;

TEST_F(HttpLimits, ConnectionsBeyondTheWorkersAndTheQueueGet503WithRetryAfterAtOnce) {
  // Both workers are held by clients that send half a request (until the 1 s header
  // deadline), and two more connections fill the queue (shedding starts at max_queued).
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<RawConnection>(env().api->port()));
    held.back()->Send("GET /healthz HTTP/1.1\r\nHost: x\r\n");
  }
  // Long enough for a loaded host to hand all four to workers and the queue (200 ms was
  // not, twice), short of their 1 s header deadline.
  std::this_thread::sleep_for(500ms);
  const int64_t rss_before = RssKib(env().api->pid());
  std::vector<std::future<std::pair<int, std::chrono::milliseconds>>> excess;
  for (int i = 0; i < 20; ++i) {
    excess.push_back(std::async(std::launch::async, [&] {
      const auto t0 = Clock::now();
      const HttpResponse r =
          env().http->Raw("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5s);
      EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
      EXPECT_EQ(r.Header("Retry-After"), "1");
      return std::make_pair(
          r.status, std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0));
    }));
  }
  for (auto& f : excess) {
    const auto [status, took] = f.get();
    EXPECT_EQ(status, 503);
    EXPECT_LT(took, 900ms) << "a shed connection must not wait for the held workers";
  }
  EXPECT_LT(RssKib(env().api->pid()), rss_before + 16 * 1024) << "memory grows under overload";
  EXPECT_LT(RssKib(env().api->pid()), 128 * 1024);
  held.clear();
  // Once the holders are gone the service answers normally again.
  EXPECT_TRUE(WaitUntil([&] { return env().http->Get("/healthz").status == 200; }, 5s, 50ms));
  EXPECT_TRUE(env().api->running());
}

TEST_F(HttpLimits, AnIdleKeepAliveConnectionHandsItsWorkerToAWaitingOne) {
  // Two keep-alive connections each make one request and then stay open and idle.
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 2; ++i) {
    idle.push_back(std::make_unique<RawConnection>(env().api->port()));
    idle.back()->Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  }
  std::this_thread::sleep_for(300ms);
  const auto t0 = Clock::now();
  const HttpResponse r = env().http->Get("/healthz");
  EXPECT_EQ(r.status, 200) << r.Describe();
  EXPECT_LT(Clock::now() - t0, 3s)
      << "the waiting request waited for the keep-alive timeout (10 s)";
}

TEST_F(HttpLimits, ARequestLineTrickledByteByByteGets408AfterTheHeaderDeadline) {
  RawConnection slow(env().api->port());
  const auto t0 = Clock::now();
  slow.Send("GET /healthz HTTP/1.1\r\n");
  std::string answer;
  auto reader = std::async(std::launch::async, [&] { return slow.ReadAll(10s); });
  for (int i = 0; i < 20 && reader.wait_for(300ms) != std::future_status::ready; ++i) {
    try {
      slow.Send("X");
    } catch (const Poco::Exception&) {
      break;
    }
  }
  answer = reader.get();
  EXPECT_EQ(RawConnection::StatusOf(answer), 408) << answer;
  EXPECT_NE(answer.find("application/problem+json"), std::string::npos) << answer;
  EXPECT_LT(Clock::now() - t0, 4s) << "the header deadline (1 s) is a total, not per byte";
  EXPECT_EQ(env().http->Get("/healthz").status, 200);
}

TEST_F(HttpLimits, ABodyThatStopsHalfWayGetsA4xxAfterTheRequestDeadline) {
  RawConnection slow(env().api->port());
  const auto t0 = Clock::now();
  slow.Send("POST /v1/organisations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
            env().op.secret +
            "\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"orgno\":");
  const std::string answer = slow.ReadAll(10s);
  const int status = RawConnection::StatusOf(answer);
  EXPECT_GE(status, 400) << answer;
  EXPECT_LT(status, 500) << answer;
  EXPECT_LT(Clock::now() - t0, 5s)
      << "a stalled body held its worker past the request deadline (2 s)";
  EXPECT_EQ(env().Op("GET", "/v1/organisations").status, 200);
}

TEST_F(HttpLimits, AnUnknownHttpVersionIs505ProblemJson) {
  for (const char* version : {"HTTP/9.9", "HTTP/2.0", "HTTP/1.2"}) {
    const HttpResponse r =
        env().http->Raw(std::string("GET /healthz ") + version + "\r\nHost: x\r\n\r\n", 3s);
    ExpectProblem(r, 505, "http_version_not_supported");
  }
}

TEST_F(HttpLimits, AGarbageRequestLineIs400ProblemJsonWithAnAccessLogLine) {
  const std::size_t before = env().api->AccessLog().size();
  for (const std::string& garbage :
       {std::string("GET\r\n\r\n"),
        std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15),
        std::string("GET /healthz FOO/1.1\r\n\r\n"), std::string(9000, 'A') + " / HTTP/1.1\r\n\r\n",
        "GET /healthz HTTP/1.1\r\n" + std::string(9000, 'h') + ": x\r\n\r\n"}) {
    const HttpResponse r = env().http->Raw(garbage, 3s);
    ExpectProblem(r, 400, "malformed_request");
  }
  EXPECT_TRUE(WaitUntil(
      [&] {
        const auto log = env().api->AccessLog();
        std::size_t malformed = 0;
        for (std::size_t i = before; i < log.size(); ++i) {
          if (log[i]->optValue<std::string>("route", "") == "(malformed request)") ++malformed;
        }
        return malformed >= 5;
      },
      3s))
      << "every malformed request must leave an access-log line";
}

TEST_F(HttpLimits, TooManyHeadersAndHugeHeadersAre4xx) {
  std::string many = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 150; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(env().http->Raw(many + "\r\n", 3s).status, 400);
  EXPECT_EQ(env()
                .http
                ->Raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'b') +
                          "\r\n\r\n",
                      3s)
                .status,
            400);
  EXPECT_EQ(env().http->Get("/healthz").status, 200);
}

}  // namespace
}  // namespace onboard::testsupport
