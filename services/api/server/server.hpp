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
  /// client trickling a byte at a time is cut off when this runs out, with a 408). For a
  /// connection's first request it runs from the accept.
  std::chrono::milliseconds header_timeout{10000};
  /// Whole time a request (headers, body and handling) may take before its socket stops
  /// reading: a slow body then fails as a 408 instead of holding a worker.
  std::chrono::milliseconds request_timeout{30000};
  /// A connection that arrives while this many connections wait for a worker (a request
  /// of theirs is readable, every worker is busy) is answered 503 + Retry-After at once.
  int shed_at_waiting = 1024;
  /// ... and so is one that arrives while this many are open (served, waiting or parked).
  int max_connections = 16384;
  int retry_after_s = 1;
  /// How long a worker keeps a connection it has just answered, waiting for that
  /// connection's next request, while no other connection waits for a worker; it gives the
  /// connection up (to the poller) at once when one does. 0: parked straight away.
  std::chrono::milliseconds keep_while_free{20};
};

/// Counters and gauges of the server, for GET /metrics.
struct ServerStats {
  int workers = 0;
  int busy = 0;             ///< workers serving a connection now
  int open = 0;             ///< connections open: served, waiting for a worker or parked
  int parked = 0;           ///< idle connections in the poller, holding no worker
  int kept = 0;             ///< idle connections a free worker keeps (keep_while_free)
  int waiting = 0;          ///< readable connections waiting for a worker
  uint64_t shed = 0;        ///< connections answered 503 overloaded since the start
  double busy_seconds = 0;  ///< worker time spent serving connections, summed
  uint64_t accepted = 0;    ///< connections accepted since the start
};

/// Prometheus text of `stats` (onboard_http_* gauges and counters).
std::string RenderServerStats(const ServerStats& stats);

namespace detail {
class Connection;
struct Session;
}  // namespace detail

/// The HTTP/1.1 server of onboard-api, in place of Poco's HTTPServer/TCPServer: its own
/// acceptor, event poller and workers, and its own request reader and response writer
/// (wire.hpp: Poco's limits, one receive buffer per worker, the whole response in one
/// send) behind Poco's HTTPServerRequest/HTTPServerResponse interfaces, for what Poco's
/// lacks or costs:
/// - an idle keep-alive connection holds no worker: once its response is written and no
///   byte of a next request is buffered, it is parked in an epoll set (with nothing but
///   its socket and a few counters; the buffers stay with the worker) and handed to a
///   worker when it becomes readable. A few workers (default 4 per core) serve
///   thousands of connections; a request's head and body are read by one worker, with
///   the deadlines below;
/// - a malformed request (bad request line, header syntax, oversized line) gets a
///   problem+json 400 and an access-log line instead of a bare 400;
/// - a version other than HTTP/1.0 and HTTP/1.1 gets 505;
/// - total deadlines for headers and for the whole request (slowloris, slow bodies) -> 408;
///   an idle connection is closed after the keep-alive timeout, a new one that sends
///   nothing after the header timeout;
/// - overload: a connection arriving while `shed_at_waiting` connections wait for a worker,
///   or while `max_connections` are open, is answered 503 + Retry-After at once by the
///   shedder (Poco closes such connections without a word, or lets them wait);
/// - stop: no new connections; parked connections close at once (those already readable
///   are served first), busy ones after their response; Abort shuts the rest down.
class ApiServer {
 public:
  ApiServer(const Poco::Net::ServerSocket& socket, ServerHandler& handler,
            Poco::Net::HTTPServerParams::Ptr params, ConnectionPolicy policy, int max_threads);
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;
  ~ApiServer();

  void Start();
  /// Stops accepting and closes idle connections; busy ones finish their request.
  void Stop();
  /// Shuts every remaining connection down and joins all threads.
  void Abort();
  /// Connections being served or waiting for a worker (parked ones excluded).
  int CurrentConnections() const;
  ServerStats Stats() const;

  /// The deadline of the connection a worker serves, set by the worker and enforced by
  /// the reaper (one per worker).
  class Tracked {
   public:
    void Bind(const Poco::Net::StreamSocket& socket);
    void Unbind();
    void Set(std::chrono::steady_clock::time_point deadline, bool idle);
    bool TimedOut();

   private:
    friend class ApiServer;
    std::mutex mutex_;  // the worker and the reaper (every 100 ms): practically uncontended
    Poco::Net::StreamSocket socket_;
    bool bound_ = false;
    std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
    bool idle_ = true;
    bool timed_out_ = false;
    // Keeping a connection (keep_while_free), under the server's mutex_: the poller takes
    // the worker back by clearing `keeping_` and writing `kick_fd_`.
    int kick_fd_ = -1;  // eventfd
    bool keeping_ = false;
    uint64_t kept_ns_ = 0;  // of the current Serve, spent keeping (not busy); the worker's
  };
  /// After an answer on `fd` (the connection `tracked` serves), with nothing of a next
  /// request buffered: waits up to `keep_while_free` for that request while no other
  /// connection waits for a worker and there are no more connections than workers (the
  /// worker counts as free meanwhile, and is taken back at once when one waits). True: the
  /// next request is readable, serve it; false: park the connection.
  bool KeepWhileFree(Tracked& tracked, int fd);
  bool stopping() const noexcept { return stopping_.load(std::memory_order_relaxed); }
  /// Connections waiting for a worker.
  int Queued() const noexcept { return waiting_seen_.load(std::memory_order_relaxed); }

  ServerHandler& handler() const noexcept { return handler_; }
  Poco::Net::HTTPServerParams::Ptr params() const noexcept { return params_; }
  const ConnectionPolicy& policy() const noexcept { return policy_; }

 private:
  struct Parked {
    std::chrono::steady_clock::time_point deadline;
    detail::Connection* connection;
    uint64_t generation;
  };
  void Accept();
  void Poll();
  void Work(Tracked& tracked);
  void Shed();
  void Reap();
  void ShedLater(Poco::Net::StreamSocket socket);
  // With mutex_ held: into the poller until readable or `deadline`; false if it could not.
  bool ParkLocked(detail::Connection* connection, std::chrono::steady_clock::time_point deadline,
                  std::deque<Parked>& fifo, bool add);
  // With mutex_ held: forgets `connection` (the caller destroys it after unlocking).
  std::unique_ptr<detail::Connection> ForgetLocked(detail::Connection* connection);
  void ExpireLocked(std::deque<Parked>& fifo, std::chrono::steady_clock::time_point now,
                    std::vector<std::unique_ptr<detail::Connection>>& closed);
  void Mirror();
  // With mutex_ held: takes back workers that keep a connection, one for each ready
  // connection no free worker is woken for; returns their kick descriptors to write.
  std::vector<int> ReclaimLocked();

  Poco::Net::ServerSocket socket_;
  ServerHandler& handler_;
  Poco::Net::HTTPServerParams::Ptr params_;
  const ConnectionPolicy policy_;
  const int max_threads_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> started_{false};
  int epoll_fd_ = -1;
  int wake_fd_ = -1;  // eventfd: wakes the poller at stop

  // Connections: who owns them, who waits for a worker, who is parked until when.
  mutable std::mutex mutex_;
  std::condition_variable ready_cv_;
  std::map<detail::Connection*, std::unique_ptr<detail::Connection>> connections_;
  std::deque<detail::Connection*> ready_;
  std::deque<Parked> fresh_;  // parked before their first request (header deadline)
  std::deque<Parked> idle_;   // parked between requests (keep-alive timeout)
  uint64_t next_generation_ = 1;
  int busy_ = 0;
  int parked_ = 0;
  int free_ = 0;                   // workers waiting on ready_cv_
  int woken_ = 0;                  // ... of them notified and not yet running
  int reclaimed_ = 0;              // keepers taken back and not yet running
  std::vector<Tracked*> keepers_;  // workers keeping a connection
  bool workers_stop_ = false;
  bool poller_stop_ = false;
  // Mirrors (written under mutex_) for Queued() and Stats().
  std::atomic<int> waiting_seen_{0};
  std::atomic<int> busy_seen_{0};
  std::atomic<int> open_seen_{0};
  std::atomic<int> parked_seen_{0};
  std::atomic<int> kept_seen_{0};
  std::atomic<uint64_t> shed_total_{0};
  std::atomic<uint64_t> accepted_total_{0};
  std::atomic<uint64_t> busy_ns_{0};

  std::mutex shed_mutex_;
  std::condition_variable shed_ready_;
  std::deque<Poco::Net::StreamSocket> shed_;
  bool shed_stop_ = false;

  std::mutex reaper_mutex_;
  std::condition_variable reaper_wake_;
  bool reaper_stop_ = false;
  std::vector<std::unique_ptr<Tracked>> tracked_;  // one per worker

  std::thread acceptor_;
  std::thread poller_;
  std::thread shedder_;
  std::thread reaper_;
  std::vector<std::thread> workers_;
};

}  // namespace onboard::http
