#pragma once

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/ServerSocket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace onboard::http {

/// A request the server answered itself, without a handler: a malformed request (400),
/// a head past its deadline (408), an unsupported version (505), or a shed connection
/// (503).
struct EarlyAnswer {
  std::string route;  ///< "(malformed request)" or "(shed)"
  int status = 0;
  std::string code;  ///< the problem's code
  std::string request_id;
  std::string peer;  ///< the client's address ("" when unknown)
  double seconds = 0;
};

/// What the server asks of the application (it knows nothing of routes or handlers).
class ServerHandler {
 public:
  virtual ~ServerHandler() = default;
  /// Answers one request; never throws (a handler's failure becomes its answer).
  virtual void Handle(Poco::Net::HTTPServerRequest& request,
                      Poco::Net::HTTPServerResponse& response) = 0;
  /// Records an answer the server wrote itself (metrics; the access log unless shed).
  virtual void Answered(const EarlyAnswer& answer) = 0;
};

/// How connections are policed (from AppConfig::http).
struct ConnectionPolicy {
  /// Whole time a request line and its headers may take to arrive (not per read: a
  /// client trickling a byte at a time is cut off when this runs out, with a 408).
  std::chrono::milliseconds header_timeout{10000};
  /// Whole time a request (headers, body and handling) may take before its socket stops
  /// reading: a slow body then fails as a 408 instead of holding a worker.
  std::chrono::milliseconds request_timeout{30000};
  /// A connection that arrives while every worker is busy and this many connections
  /// already wait is answered 503 + Retry-After at once (overload shedding).
  int shed_at_queued = 16;
  int retry_after_s = 1;
};

/// The HTTP/1.1 server of onboard-api, in place of Poco's HTTPServer/TCPServer: its own
/// acceptor, connection queue and workers, and its own request reader and response writer
/// (wire.hpp: Poco's limits, one receive buffer per connection, the whole response in one
/// send) behind Poco's HTTPServerRequest/HTTPServerResponse interfaces, for what Poco's
/// lacks or costs:
/// - a malformed request (bad request line, header syntax, oversized line) gets a
///   problem+json 400 and an access-log line instead of a bare 400;
/// - a version other than HTTP/1.0 and HTTP/1.1 gets 505;
/// - total deadlines for headers and for the whole request (slowloris, slow bodies) -> 408;
/// - overload: a connection arriving while every worker is busy and `shed_at_queued`
///   connections already wait is answered 503 + Retry-After at once by the acceptor
///   (Poco closes such connections without a word, or lets them wait); an idle
///   keep-alive connection closes while others wait for a worker, and a busy one after
///   its response, so waiting connections get a worker in turn;
/// - stop: no new connections; idle keep-alive connections close at once, busy ones
///   after their response; Abort shuts the rest down.
class ApiServer {
 public:
  ApiServer(const Poco::Net::ServerSocket& socket, ServerHandler& handler,
            Poco::Net::HTTPServerParams::Ptr params, ConnectionPolicy policy, int max_threads,
            int max_queued);
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;
  ~ApiServer();

  void Start();
  /// Stops accepting and closes idle connections; busy ones finish their request.
  void Stop();
  /// Shuts every remaining connection down and joins all threads.
  void Abort();
  /// Connections being served or waiting for a worker.
  int CurrentConnections() const;

  // Used by the connections: the deadline of one connection, set by its worker (without
  // the server-wide lock) and enforced by the reaper.
  class Tracked {
   public:
    explicit Tracked(const Poco::Net::StreamSocket& socket) : socket_(socket) {}
    void Set(std::chrono::steady_clock::time_point deadline, bool idle);
    bool TimedOut();

   private:
    friend class ApiServer;
    std::mutex mutex_;  // the worker and the reaper (every 100 ms): practically uncontended
    Poco::Net::StreamSocket socket_;
    std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
    bool idle_ = true;
    bool timed_out_ = false;
  };
  bool stopping() const noexcept { return stopping_.load(std::memory_order_relaxed); }
  /// Connections waiting for a worker while every worker is busy (0 otherwise).
  int Queued() const noexcept;

  ServerHandler& handler() const noexcept { return handler_; }
  Poco::Net::HTTPServerParams::Ptr params() const noexcept { return params_; }
  const ConnectionPolicy& policy() const noexcept { return policy_; }

 private:
  void Accept();
  void Work();
  void Shed();
  void Reap();
  Tracked* Register(const Poco::Net::StreamSocket& socket);
  void Unregister(Tracked* tracked);

  Poco::Net::ServerSocket socket_;
  ServerHandler& handler_;
  Poco::Net::HTTPServerParams::Ptr params_;
  const ConnectionPolicy policy_;
  const int max_threads_;
  const int max_queued_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> started_{false};

  mutable std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<Poco::Net::StreamSocket> queue_;
  int busy_ = 0;
  // Mirrors of busy_ and queue_.size() (written under queue_mutex_) for Queued(), which
  // every request asks.
  std::atomic<int> busy_seen_{0};
  std::atomic<int> waiting_seen_{0};
  bool workers_stop_ = false;

  std::mutex shed_mutex_;
  std::condition_variable shed_ready_;
  std::deque<Poco::Net::StreamSocket> shed_;
  bool shed_stop_ = false;

  std::mutex mutex_;  // tracked_ and the reaper
  std::condition_variable wake_;
  bool reaper_stop_ = false;
  std::map<Tracked*, std::unique_ptr<Tracked>> tracked_;

  std::thread acceptor_;
  std::thread shedder_;
  std::thread reaper_;
  std::vector<std::thread> workers_;
};

}  // namespace onboard::http
