#include "server.hpp"

#include <Poco/Net/HTTPResponse.h>

#include "crypto.hpp"
#include "problem.hpp"
#include "wire.hpp"

namespace onboard::http {

namespace {

using Clock = std::chrono::steady_clock;
using Poco::Net::HTTPResponse;

const Poco::Timespan kWakeUp(0, 50 * 1000);

// A problem+json answer for a request that never became a request object (it could not
// be parsed, or is refused before routing), recorded by the handler (metric, access log).
void AnswerBare(wire::Wire& wire, ServerHandler& handler, const std::string& peer, int status,
                const std::string& code, const std::string& title, const std::string& detail,
                int retry_after_s, Clock::time_point started) {
  const std::string request_id = crypto::NewUuid();
  Problem problem;
  problem.status = status;
  problem.code = code;
  problem.title = title;
  problem.detail = detail;
  problem.request_id = request_id;
  wire.Send(ProblemResponse(problem, retry_after_s));  // false: the peer is gone
  EarlyAnswer answer;
  answer.route = status == 503 ? "(shed)" : "(malformed request)";
  answer.status = status;
  answer.code = code;
  answer.request_id = request_id;
  answer.peer = peer;
  answer.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  handler.Answered(answer);
}

// Receives until bytes arrive (true) or `limit` passes, the peer goes or the socket fails
// (false). With `server`, also false as soon as the server stops or other connections wait
// for a worker (an idle connection does not keep one from them). The wait is the receive
// itself: the socket's receive timeout is kWakeUp, so the request's first bytes arrive with
// the call that waited for them (no poll(2) before each request).
bool AwaitBytes(wire::Wire& wire, std::chrono::milliseconds limit, const ApiServer* server) {
  const auto until = Clock::now() + limit;
  while (Clock::now() < until) {
    if (server != nullptr && (server->stopping() || server->Queued() > 0)) return false;
    switch (wire.Receive(0)) {
      case wire::Wire::Received::kData:
        return true;
      case wire::Wire::Received::kWait:
        break;
      default:
        return false;
    }
  }
  return false;
}

// Waits for the next request on an idle keep-alive connection (false: close it).
bool AwaitNextRequest(wire::Wire& wire, const ApiServer& server,
                      std::chrono::milliseconds keep_alive) {
  if (!wire.Buffered().empty()) return true;  // a pipelined request
  return AwaitBytes(wire, keep_alive, &server);
}

// Waits for the first request's first bytes, at most `limit`: false when none came.
bool AwaitFirstRequest(wire::Wire& wire, std::chrono::milliseconds limit) {
  return AwaitBytes(wire, limit, nullptr);
}

enum class Head { kParsed, kMalformed, kEnded, kGone };

// Receives until the request head is complete. kEnded: the stream ended inside the head
// (the peer stopped, or the reaper cut a head past its deadline); kGone: nothing of a head
// came, or the connection failed.
Head ReadHead(wire::Wire& wire, wire::HeadParser& parser, wire::ServerRequest& request) {
  static const std::size_t kBufferLimit = wire::HeadLimits{}.head + 4096;
  while (true) {
    switch (parser.Parse(wire.Buffered(), request)) {
      case wire::HeadStatus::kComplete:
        return Head::kParsed;
      case wire::HeadStatus::kMalformed:
        return Head::kMalformed;
      case wire::HeadStatus::kIncomplete:
        break;
    }
    switch (wire.Receive(kBufferLimit)) {
      case wire::Wire::Received::kData:
      case wire::Wire::Received::kWait:  // the header deadline (the reaper) ends the wait
        break;
      case wire::Wire::Received::kFull:
        return Head::kMalformed;
      case wire::Wire::Received::kEnd:
        return wire.Buffered().empty() ? Head::kGone : Head::kEnded;
      case wire::Wire::Received::kError:
        return Head::kGone;  // reset
    }
  }
}

// Reads past the body a handler left unread, so the connection can carry the next
// request; false (close instead) when that is more than a little.
bool SkipBody(wire::Wire& wire, Poco::Int64 left) {
  if (left > 64 * 1024) return false;
  while (left > 0) {
    if (wire.Buffered().empty()) {
      const auto got = wire.Receive(0);
      if (got == wire::Wire::Received::kWait) continue;
      if (got != wire::Wire::Received::kData) return false;
    }
    const auto take = std::min<Poco::Int64>(left, static_cast<Poco::Int64>(wire.Buffered().size()));
    wire.Consume(static_cast<std::size_t>(take));
    left -= take;
  }
  return true;
}

class ApiConnection {
 public:
  ApiConnection(Poco::Net::StreamSocket socket, ApiServer& server, ApiServer::Tracked* tracked)
      : socket_(std::move(socket)), server_(server), tracked_(tracked) {}

  void Serve() {
    Poco::Net::HTTPServerParams::Ptr params = server_.params();
    const auto& policy = server_.policy();
    ServerHandler& handler = server_.handler();
    const auto keep_alive =
        std::chrono::milliseconds(params->getKeepAliveTimeout().totalMilliseconds());
    Poco::Net::SocketAddress client_address;
    Poco::Net::SocketAddress server_address;
    try {
      client_address = socket_.peerAddress();
      server_address = socket_.address();
    } catch (const Poco::Exception&) {
      return;  // already disconnected
    }
    const std::string peer = client_address.host().toString();
    // One buffer, one request and one response object for the whole connection.
    wire::Wire wire(socket_.impl()->sockfd());
    wire::ServerResponse response(wire);
    wire::ServerRequest request(wire, response, *params, client_address, server_address);
    wire::HeadParser parser;
    int remaining = params->getMaxKeepAliveRequests();
    bool first = true;
    // A connection that was waiting when the server began to stop still gets its answer.
    while (first || !server_.stopping()) {
      if (!first && !AwaitNextRequest(wire, server_, keep_alive)) break;
      const auto started = Clock::now();
      // The header deadline runs from here (the reaper enforces it once bytes trickle in).
      tracked_->Set(started + policy.header_timeout, false);
      if (first && !AwaitFirstRequest(wire, policy.header_timeout)) break;
      first = false;
      const bool last = remaining > 0 && --remaining == 0;
      request.Reset();
      parser.Reset();
      const Head head = ReadHead(wire, parser, request);
      if (head == Head::kGone) break;
      if (head == Head::kMalformed || (head == Head::kEnded && !tracked_->TimedOut())) {
        AnswerBare(wire, handler, peer, 400, "malformed_request", "Bad Request",
                   "the request is not well-formed HTTP/1.1", 0, started);
        break;
      }
      if (head == Head::kEnded) {
        AnswerBare(wire, handler, peer, 408, "request_timeout", "Request Timeout",
                   "the request did not arrive in time", 0, started);
        break;
      }
      tracked_->Set(started + policy.request_timeout, false);
      wire.Consume(parser.head_size());
      const std::string& version = request.getVersion();
      if (version.rfind("HTTP/", 0) != 0) {
        AnswerBare(wire, handler, peer, 400, "malformed_request", "Bad Request",
                   "the request is not well-formed HTTP/1.1", 0, started);
        break;
      }
      if (version != Poco::Net::HTTPMessage::HTTP_1_1 &&
          version != Poco::Net::HTTPMessage::HTTP_1_0) {
        AnswerBare(wire, handler, peer, 505, "http_version_not_supported",
                   "HTTP Version Not Supported", "only HTTP/1.1 and HTTP/1.0 are spoken here", 0,
                   started);
        break;
      }
      // The body: Content-Length bytes. A Transfer-Encoding body is not decoded (every
      // handler that reads a body requires a Content-Length: 411), and the connection
      // closes after the answer, so its bytes are never taken for a request.
      Poco::Int64 length = 0;
      bool close_after = false;
      if (request.has(Poco::Net::HTTPMessage::TRANSFER_ENCODING)) {
        close_after = true;
      } else if (request.hasContentLength()) {
        try {
          length = request.getContentLength64();
        } catch (const Poco::Exception&) {
          AnswerBare(wire, handler, peer, 400, "malformed_request", "Bad Request",
                     "the request is not well-formed HTTP/1.1", 0, started);
          break;
        }
        if (length < 0) close_after = true;
      }
      request.BeginBody(length);
      response.Reset(version, request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD);
      response.set("Date", wire::HttpDateNow());
      // Others wait for a worker: answer this one, then hand the worker over.
      const bool yield = server_.Queued() > 0 || server_.stopping();
      response.setKeepAlive(params->getKeepAlive() && request.getKeepAlive() && !last && !yield &&
                            !close_after);
      if (request.getExpectContinue() && response.getStatus() == HTTPResponse::HTTP_OK)
        response.sendContinue();
      handler.Handle(request, response);
      // Answered with Connection: close (an unread body, a yielded worker): done, even
      // when the socket would still deliver bytes.
      bool reusable = response.Finish() && response.getKeepAlive();
      const Poco::Int64 unread = request.EndBody();
      if (reusable && unread > 0) reusable = SkipBody(wire, unread);
      if (!reusable) break;
      wire.Shrink();
      tracked_->Set(Clock::time_point::max(), true);
    }
  }

 private:
  Poco::Net::StreamSocket socket_;
  ApiServer& server_;
  ApiServer::Tracked* tracked_;
};

// What the shedder answers a connection it cannot queue: a complete 503 problem, written
// after the request (or what of it came) was read, so the client sees the answer rather
// than a reset.
std::string ShedResponse(const std::string& request_id) {
  Problem problem;
  problem.status = 503;
  problem.code = "overloaded";
  problem.title = "Service Unavailable";
  problem.detail = "the service is busy, try again shortly";
  problem.request_id = request_id;
  return ProblemResponse(problem, 1);
}

}  // namespace

ApiServer::ApiServer(const Poco::Net::ServerSocket& socket, ServerHandler& handler,
                     Poco::Net::HTTPServerParams::Ptr params, ConnectionPolicy policy,
                     int max_threads, int max_queued)
    : socket_(socket),
      handler_(handler),
      params_(std::move(params)),
      policy_(policy),
      max_threads_(max_threads),
      max_queued_(max_queued) {}

ApiServer::~ApiServer() { Abort(); }

void ApiServer::Start() {
  if (started_.exchange(true)) return;
  reaper_ = std::thread([this] { Reap(); });
  shedder_ = std::thread([this] { Shed(); });
  for (int i = 0; i < max_threads_; ++i) workers_.emplace_back([this] { Work(); });
  acceptor_ = std::thread([this] { Accept(); });
}

void ApiServer::Accept() {
  while (!stopping_.load()) {
    try {
      if (!socket_.poll(Poco::Timespan(100 * 1000), Poco::Net::Socket::SELECT_READ)) continue;
      Poco::Net::StreamSocket client = socket_.acceptConnection();
      client.setNoDelay(true);
      // Short: a connection's waits are receives that wake up to look at the clock, the
      // server's state and the queue; the reaper enforces the header and request deadlines.
      client.setReceiveTimeout(kWakeUp);
      client.setSendTimeout(params_->getTimeout());
      bool queued = false;
      {
        std::lock_guard<std::mutex> lock(queue_mutex_);
        const int waiting = static_cast<int>(queue_.size());
        const bool overloaded =
            (busy_ >= max_threads_ && waiting >= policy_.shed_at_queued) || waiting >= max_queued_;
        if (!overloaded) {
          queue_.push_back(client);
          waiting_seen_.store(static_cast<int>(queue_.size()), std::memory_order_relaxed);
          queued = true;
        }
      }
      if (queued) {
        queue_ready_.notify_one();
        continue;
      }
      std::lock_guard<std::mutex> lock(shed_mutex_);
      if (shed_.size() < 1024) shed_.push_back(client);  // beyond that: closed unanswered
      shed_ready_.notify_one();
    } catch (const Poco::Exception&) {
      // accept failed (e.g. out of descriptors): try again on the next round
    }
  }
}

void ApiServer::Work() {
  while (true) {
    Poco::Net::StreamSocket client;
    {
      std::unique_lock<std::mutex> lock(queue_mutex_);
      queue_ready_.wait(lock, [this] { return workers_stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and nothing left
      client = queue_.front();
      queue_.pop_front();
      ++busy_;
      busy_seen_.store(busy_, std::memory_order_relaxed);
      waiting_seen_.store(static_cast<int>(queue_.size()), std::memory_order_relaxed);
    }
    {
      Tracked* tracked = Register(client);
      ApiConnection connection(client, *this, tracked);
      try {
        connection.Serve();
      } catch (...) {
        // One connection's failure ends that connection only.
      }
      Unregister(tracked);
    }
    try {
      client.close();
    } catch (const Poco::Exception&) {
    }
    std::lock_guard<std::mutex> lock(queue_mutex_);
    --busy_;
    busy_seen_.store(busy_, std::memory_order_relaxed);
  }
}

void ApiServer::Shed() {
  while (true) {
    Poco::Net::StreamSocket client;
    {
      std::unique_lock<std::mutex> lock(shed_mutex_);
      shed_ready_.wait(lock, [this] { return shed_stop_ || !shed_.empty(); });
      if (shed_.empty()) return;
      client = shed_.front();
      shed_.pop_front();
    }
    const auto started = Clock::now();
    EarlyAnswer answer;
    answer.route = "(shed)";
    answer.status = 503;
    answer.code = "overloaded";
    answer.request_id = crypto::NewUuid();
    try {
      answer.peer = client.peerAddress().host().toString();
    } catch (const Poco::Exception&) {
    }
    try {
      // Read what the client sent (briefly), answer, close after the client has the answer.
      char buffer[4096];
      client.setReceiveTimeout(Poco::Timespan(0, 200 * 1000));
      if (client.poll(Poco::Timespan(0, 200 * 1000), Poco::Net::Socket::SELECT_READ))
        client.receiveBytes(buffer, sizeof buffer);
      const std::string response = ShedResponse(answer.request_id);
      client.setSendTimeout(Poco::Timespan(0, 200 * 1000));
      client.sendBytes(response.data(), static_cast<int>(response.size()));
      client.shutdownSend();
      while (client.poll(Poco::Timespan(0, 100 * 1000), Poco::Net::Socket::SELECT_READ) &&
             client.receiveBytes(buffer, sizeof buffer) > 0) {
      }
    } catch (const Poco::Exception&) {
    }
    try {
      client.close();
    } catch (const Poco::Exception&) {
    }
    answer.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    handler_.Answered(answer);
  }
}

void ApiServer::Stop() {
  if (stopping_.exchange(true)) return;
  if (acceptor_.joinable()) acceptor_.join();
  try {
    socket_.close();
  } catch (const Poco::Exception&) {
  }
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [key, t] : tracked_) {
    std::lock_guard<std::mutex> hold(t->mutex_);
    if (!t->idle_) continue;
    try {
      t->socket_.shutdown();
    } catch (const Poco::Exception&) {
    }
  }
}

void ApiServer::Abort() {
  Stop();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [key, t] : tracked_) {
      try {
        t->socket_.shutdown();
      } catch (const Poco::Exception&) {
      }
    }
  }
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    workers_stop_ = true;
    queue_.clear();  // waiting connections are closed unanswered at shutdown
    waiting_seen_.store(0, std::memory_order_relaxed);
  }
  queue_ready_.notify_all();
  for (auto& w : workers_) {
    if (w.joinable()) w.join();
  }
  {
    std::lock_guard<std::mutex> lock(shed_mutex_);
    shed_stop_ = true;
  }
  shed_ready_.notify_all();
  if (shedder_.joinable()) shedder_.join();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    reaper_stop_ = true;
  }
  wake_.notify_all();
  if (reaper_.joinable()) reaper_.join();
}

int ApiServer::CurrentConnections() const {
  std::lock_guard<std::mutex> lock(queue_mutex_);
  return busy_ + static_cast<int>(queue_.size());
}

int ApiServer::Queued() const noexcept {
  // Connections that wait while no worker is free; a connection queued while some worker
  // is idle is picked up at once and starves nobody.
  return busy_seen_.load(std::memory_order_relaxed) >= max_threads_
             ? waiting_seen_.load(std::memory_order_relaxed)
             : 0;
}

ApiServer::Tracked* ApiServer::Register(const Poco::Net::StreamSocket& socket) {
  auto tracked = std::make_unique<Tracked>(socket);
  Tracked* raw = tracked.get();
  std::lock_guard<std::mutex> lock(mutex_);
  tracked_.emplace(raw, std::move(tracked));
  return raw;
}

void ApiServer::Unregister(Tracked* tracked) {
  std::lock_guard<std::mutex> lock(mutex_);
  tracked_.erase(tracked);
}

void ApiServer::Tracked::Set(Clock::time_point deadline, bool idle) {
  std::lock_guard<std::mutex> lock(mutex_);
  deadline_ = deadline;
  idle_ = idle;
  timed_out_ = false;
}

bool ApiServer::Tracked::TimedOut() {
  std::lock_guard<std::mutex> lock(mutex_);
  return timed_out_;
}

void ApiServer::Reap() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(100), [this] { return reaper_stop_; })) {
    const auto now = Clock::now();
    for (auto& [key, t] : tracked_) {
      std::lock_guard<std::mutex> hold(t->mutex_);
      if (t->idle_ || t->timed_out_ || t->deadline_ > now) continue;
      t->timed_out_ = true;
      // Reads end (the parser or the body reader sees the end of the stream); the answer
      // can still be written.
      try {
        t->socket_.shutdownReceive();
      } catch (const Poco::Exception&) {
      }
    }
  }
}

}  // namespace onboard::http
