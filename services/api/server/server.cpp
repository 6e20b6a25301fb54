#include "server.hpp"

#include <Poco/Net/HTTPResponse.h>
#include <sys/epoll.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <sstream>

#include "connection.hpp"
#include "crypto.hpp"
#include "problem.hpp"
#include "wire.hpp"

namespace onboard::http {

namespace {

using Clock = std::chrono::steady_clock;
using detail::Connection;

// A connection's receives wake up this often to look at the clock and the server's state;
// the reaper enforces the header and request deadlines.
const Poco::Timespan kWakeUp(0, 50 * 1000);
constexpr uint32_t kParkEvents = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;

// What the shedder answers a connection it cannot take: a complete 503 problem, written
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

std::string RenderServerStats(const ServerStats& s) {
  std::ostringstream out;
  const auto gauge = [&](const char* name, const char* help, double value) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " gauge\n"
        << name << " " << value << "\n";
  };
  const auto counter = [&](const char* name, const char* help, double value) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " counter\n"
        << name << " " << value << "\n";
  };
  gauge("onboard_http_connections_open", "Client connections open (served, waiting or parked).",
        s.open);
  gauge("onboard_http_connections_parked",
        "Idle keep-alive connections parked in the poller, holding no worker.", s.parked);
  gauge("onboard_http_connections_kept",
        "Idle keep-alive connections a free worker keeps for their next request "
        "(http.keep_while_free_ms), given up at once when another connection waits.",
        s.kept);
  gauge("onboard_http_connections_waiting",
        "Connections with a readable request waiting for a worker.", s.waiting);
  gauge("onboard_http_workers", "Request worker threads.", s.workers);
  gauge("onboard_http_workers_busy", "Workers serving a connection now.", s.busy);
  gauge("onboard_http_worker_utilisation",
        "Busy workers over all workers now (rate(onboard_http_worker_busy_seconds_total) / "
        "onboard_http_workers for an average).",
        s.workers > 0 ? static_cast<double>(s.busy) / s.workers : 0.0);
  counter("onboard_http_worker_busy_seconds_total", "Worker time spent serving connections.",
          s.busy_seconds);
  counter("onboard_http_connections_accepted_total", "Connections accepted.",
          static_cast<double>(s.accepted));
  counter("onboard_http_shed_total", "Connections answered 503 overloaded at once.",
          static_cast<double>(s.shed));
  return out.str();
}

ApiServer::ApiServer(const Poco::Net::ServerSocket& socket, ServerHandler& handler,
                     Poco::Net::HTTPServerParams::Ptr params, ConnectionPolicy policy,
                     int max_threads)
    : socket_(socket),
      handler_(handler),
      params_(std::move(params)),
      policy_(policy),
      max_threads_(max_threads) {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (epoll_fd_ < 0 || wake_fd_ < 0) throw std::runtime_error("epoll/eventfd failed");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;  // the wake-up
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
}

ApiServer::~ApiServer() {
  Abort();
  ::close(epoll_fd_);
  ::close(wake_fd_);
  for (auto& t : tracked_) ::close(t->kick_fd_);
}

void ApiServer::Start() {
  if (started_.exchange(true)) return;
  for (int i = 0; i < max_threads_; ++i) {
    tracked_.push_back(std::make_unique<Tracked>());
    tracked_.back()->kick_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (tracked_.back()->kick_fd_ < 0) throw std::runtime_error("eventfd failed");
  }
  reaper_ = std::thread([this] { Reap(); });
  shedder_ = std::thread([this] { Shed(); });
  poller_ = std::thread([this] { Poll(); });
  for (int i = 0; i < max_threads_; ++i) {
    Tracked& tracked = *tracked_[static_cast<std::size_t>(i)];
    workers_.emplace_back([this, &tracked] { Work(tracked); });
  }
  acceptor_ = std::thread([this] { Accept(); });
}

void ApiServer::Mirror() {
  waiting_seen_.store(static_cast<int>(ready_.size()), std::memory_order_relaxed);
  busy_seen_.store(busy_, std::memory_order_relaxed);
  open_seen_.store(static_cast<int>(connections_.size()), std::memory_order_relaxed);
  parked_seen_.store(parked_, std::memory_order_relaxed);
  kept_seen_.store(static_cast<int>(keepers_.size()), std::memory_order_relaxed);
}

std::vector<int> ApiServer::ReclaimLocked() {
  std::vector<int> kicks;
  // Ready connections beyond the free workers (woken or about to be) and the keepers
  // already taken back: each takes one more keeper back (all of them once stopping).
  int unserved = poller_stop_ ? static_cast<int>(keepers_.size())
                              : static_cast<int>(ready_.size()) - free_ - reclaimed_;
  while (unserved-- > 0 && !keepers_.empty()) {
    Tracked* keeper = keepers_.back();
    keepers_.pop_back();
    keeper->keeping_ = false;
    ++reclaimed_;
    kicks.push_back(keeper->kick_fd_);
  }
  return kicks;
}

namespace {
void Kick(const std::vector<int>& kicks) {
  const uint64_t one = 1;
  for (const int fd : kicks) [[maybe_unused]] const ssize_t r = ::write(fd, &one, sizeof one);
}
}  // namespace

bool ApiServer::KeepWhileFree(Tracked& tracked, int fd) {
  if (policy_.keep_while_free.count() <= 0) return false;
  // Only while nothing waits and every open connection could have a worker of its own:
  // beyond that, a kept connection would mostly be taken back for another (the mirrors
  // spare the lock then; the decision is made again under it).
  if (waiting_seen_.load(std::memory_order_relaxed) > 0 ||
      open_seen_.load(std::memory_order_relaxed) > max_threads_)
    return false;
  std::unique_lock<std::mutex> lock(mutex_);
  if (!ready_.empty() || poller_stop_ || static_cast<int>(connections_.size()) > max_threads_)
    return false;
  --busy_;
  tracked.keeping_ = true;
  keepers_.push_back(&tracked);
  Mirror();
  const auto began = Clock::now();
  const auto until = began + policy_.keep_while_free;
  bool resume = false;
  while (true) {
    lock.unlock();
    pollfd fds[2] = {{fd, POLLIN | POLLRDHUP, 0}, {tracked.kick_fd_, POLLIN, 0}};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    const int n = ::poll(fds, 2, static_cast<int>(std::max<int64_t>(left.count(), 0)));
    const int failure = n < 0 ? errno : 0;
    if (n > 0 && fds[1].revents != 0) {
      uint64_t value = 0;
      [[maybe_unused]] const ssize_t r = ::read(tracked.kick_fd_, &value, sizeof value);
    }
    lock.lock();
    const bool readable = n > 0 && fds[0].revents != 0;
    if (!tracked.keeping_) {  // taken back: a connection waits for this worker, or a stop
      --reclaimed_;
      resume = readable && poller_stop_;  // answered (Connection: close), as the poller would
      break;
    }
    if (readable || n == 0 || (failure != 0 && failure != EINTR) || Clock::now() >= until) {
      keepers_.erase(std::find(keepers_.begin(), keepers_.end(), &tracked));
      tracked.keeping_ = false;
      resume = readable;
      break;
    }
    // A kick left over from an earlier keeping, or a signal: keep waiting.
  }
  ++busy_;  // the worker's again; when not resumed, Work parks the connection
  Mirror();
  tracked.kept_ns_ += static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - began).count());
  return resume;
}

bool ApiServer::ParkLocked(Connection* connection, Clock::time_point deadline,
                           std::deque<Parked>& fifo, bool add) {
  epoll_event ev{};
  ev.events = kParkEvents;
  ev.data.ptr = connection;
  // Under the lock: the poller may hand the connection on (or expire it) the moment it is
  // armed, and must find it parked.
  connection->generation = next_generation_++;
  if (::epoll_ctl(epoll_fd_, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, connection->fd(), &ev) != 0) {
    connection->generation = 0;
    return false;
  }
  fifo.push_back({deadline, connection, connection->generation});
  ++parked_;
  return true;
}

std::unique_ptr<Connection> ApiServer::ForgetLocked(Connection* connection) {
  auto it = connections_.find(connection);
  if (it == connections_.end()) return nullptr;
  std::unique_ptr<Connection> owned = std::move(it->second);
  connections_.erase(it);
  return owned;
}

void ApiServer::ExpireLocked(std::deque<Parked>& fifo, Clock::time_point now,
                             std::vector<std::unique_ptr<Connection>>& closed) {
  while (!fifo.empty() && (fifo.front().deadline <= now || poller_stop_)) {
    const Parked p = fifo.front();
    fifo.pop_front();
    // A stale entry: the connection was handed on since (or is gone: a generation is
    // never reused, so an address that was reused does not match either).
    auto it = connections_.find(p.connection);
    if (it == connections_.end() || p.connection->generation != p.generation) continue;
    p.connection->generation = 0;
    --parked_;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, p.connection->fd(), nullptr);
    closed.push_back(ForgetLocked(p.connection));
  }
}

void ApiServer::Accept() {
  while (!stopping_.load()) {
    try {
      if (!socket_.poll(Poco::Timespan(100 * 1000), Poco::Net::Socket::SELECT_READ)) continue;
      // Everything that is waiting, then poll again.
      do {
        Poco::Net::SocketAddress client_address;
        Poco::Net::StreamSocket client = socket_.acceptConnection(client_address);
        accepted_total_.fetch_add(1, std::memory_order_relaxed);
        client.setNoDelay(true);
        client.setReceiveTimeout(kWakeUp);
        client.setSendTimeout(params_->getTimeout());
        bool overloaded = false;
        {
          std::lock_guard<std::mutex> lock(mutex_);
          overloaded = static_cast<int>(ready_.size()) >= policy_.shed_at_waiting ||
                       static_cast<int>(connections_.size()) >= policy_.max_connections;
        }
        if (overloaded) {
          ShedLater(client);
          continue;
        }
        std::unique_ptr<Connection> connection;
        try {
          connection = std::make_unique<Connection>(client, client_address, client.address(),
                                                    params_->getMaxKeepAliveRequests());
        } catch (const Poco::Exception&) {
          continue;  // gone already
        }
        std::lock_guard<std::mutex> lock(mutex_);
        Connection* raw = connection.get();
        connections_.emplace(raw, std::move(connection));
        // Parked until its first bytes arrive; closed when none come in time.
        if (!ParkLocked(raw, Clock::now() + policy_.header_timeout, fresh_, true))
          connection = ForgetLocked(raw);  // closed after the lock (declared before it)
        Mirror();
      } while (socket_.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ));
    } catch (const Poco::Exception&) {
      // accept failed (e.g. out of descriptors): try again on the next round
    }
  }
}

void ApiServer::ShedLater(Poco::Net::StreamSocket socket) {
  std::lock_guard<std::mutex> lock(shed_mutex_);
  if (shed_.size() < 1024) shed_.push_back(std::move(socket));  // beyond: closed unanswered
  shed_ready_.notify_one();
}

void ApiServer::Poll() {
  constexpr int kMaxEvents = 256;
  epoll_event events[kMaxEvents];
  bool stopped = false;
  while (true) {
    const int n = ::epoll_wait(epoll_fd_, events, kMaxEvents, stopped ? 0 : 100);
    std::vector<std::unique_ptr<Connection>> closed;
    std::vector<int> kicks;
    int handed = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (int i = 0; i < n; ++i) {
        auto* connection = static_cast<Connection*>(events[i].data.ptr);
        if (connection == nullptr) {
          uint64_t value = 0;
          [[maybe_unused]] const ssize_t r = ::read(wake_fd_, &value, sizeof value);
          continue;
        }
        if (connection->generation == 0) continue;  // expired in an earlier round
        connection->generation = 0;
        --parked_;
        ready_.push_back(connection);
        ++handed;
      }
      const auto now = Clock::now();
      if (stopped) poller_stop_ = true;  // the second round after the stop: close the rest
      ExpireLocked(fresh_, now, closed);
      ExpireLocked(idle_, now, closed);
      kicks = ReclaimLocked();
      Mirror();
      if (poller_stop_) {
        // Workers serve what was readable; then nothing is parked any more (keepers give
        // their connections up and close them).
        ready_cv_.notify_all();
        Kick(kicks);
        return;
      }
    }
    Kick(kicks);
    if (handed == 1)
      ready_cv_.notify_one();
    else if (handed > 1)
      ready_cv_.notify_all();
    closed.clear();  // closes their sockets, outside the lock
    if (stopping_.load()) stopped = true;
  }
}

void ApiServer::Work(Tracked& tracked) {
  detail::Session session(*params_);
  const auto keep_alive =
      std::chrono::milliseconds(params_->getKeepAliveTimeout().totalMilliseconds());
  while (true) {
    Connection* connection = nullptr;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ++free_;
      ready_cv_.wait(lock, [this] { return workers_stop_ || !ready_.empty(); });
      --free_;
      if (ready_.empty()) return;  // stopping and nothing left
      connection = ready_.front();
      ready_.pop_front();
      ++busy_;
      Mirror();
    }
    const auto began = Clock::now();
    Connection::Next next = Connection::Next::kClose;
    tracked.Bind(connection->socket());
    tracked.kept_ns_ = 0;
    try {
      next = connection->Serve(session, *this, tracked);
    } catch (...) {
      // One connection's failure ends that connection only.
    }
    tracked.Unbind();
    const auto served = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - began);
    busy_ns_.fetch_add(static_cast<uint64_t>(served.count()) - tracked.kept_ns_,
                       std::memory_order_relaxed);
    std::unique_ptr<Connection> closed;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --busy_;
      if (next != Connection::Next::kPark || poller_stop_ ||
          !ParkLocked(connection, Clock::now() + keep_alive, idle_, false)) {
        closed = ForgetLocked(connection);
      }
      Mirror();
    }
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
    shed_total_.fetch_add(1, std::memory_order_relaxed);
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
  // The poller hands on what is readable and closes the parked rest.
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t r = ::write(wake_fd_, &one, sizeof one);
  if (poller_.joinable()) poller_.join();
}

void ApiServer::Abort() {
  Stop();
  for (auto& t : tracked_) {
    std::lock_guard<std::mutex> hold(t->mutex_);
    if (!t->bound_) continue;
    try {
      t->socket_.shutdown();
    } catch (const Poco::Exception&) {
    }
  }
  std::vector<std::unique_ptr<Connection>> closed;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    workers_stop_ = true;
    for (Connection* c : ready_) closed.push_back(ForgetLocked(c));  // closed unanswered
    ready_.clear();
    Mirror();
  }
  ready_cv_.notify_all();
  for (auto& w : workers_) {
    if (w.joinable()) w.join();
  }
  workers_.clear();
  closed.clear();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    connections_.clear();
    Mirror();
  }
  {
    std::lock_guard<std::mutex> lock(shed_mutex_);
    shed_stop_ = true;
  }
  shed_ready_.notify_all();
  if (shedder_.joinable()) shedder_.join();
  {
    std::lock_guard<std::mutex> lock(reaper_mutex_);
    reaper_stop_ = true;
  }
  reaper_wake_.notify_all();
  if (reaper_.joinable()) reaper_.join();
}

int ApiServer::CurrentConnections() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return busy_ + static_cast<int>(ready_.size());
}

ServerStats ApiServer::Stats() const {
  ServerStats s;
  s.workers = max_threads_;
  s.busy = busy_seen_.load(std::memory_order_relaxed);
  s.open = open_seen_.load(std::memory_order_relaxed);
  s.parked = parked_seen_.load(std::memory_order_relaxed);
  s.kept = kept_seen_.load(std::memory_order_relaxed);
  s.waiting = waiting_seen_.load(std::memory_order_relaxed);
  s.shed = shed_total_.load(std::memory_order_relaxed);
  s.accepted = accepted_total_.load(std::memory_order_relaxed);
  s.busy_seconds = static_cast<double>(busy_ns_.load(std::memory_order_relaxed)) / 1e9;
  return s;
}

void ApiServer::Tracked::Bind(const Poco::Net::StreamSocket& socket) {
  std::lock_guard<std::mutex> lock(mutex_);
  socket_ = socket;
  bound_ = true;
  idle_ = true;
  timed_out_ = false;
  deadline_ = Clock::time_point::max();
}

void ApiServer::Tracked::Unbind() {
  std::lock_guard<std::mutex> lock(mutex_);
  bound_ = false;
  idle_ = true;
  socket_ = Poco::Net::StreamSocket();
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
  std::unique_lock<std::mutex> lock(reaper_mutex_);
  while (!reaper_wake_.wait_for(lock, std::chrono::milliseconds(100),
                                [this] { return reaper_stop_; })) {
    const auto now = Clock::now();
    for (auto& t : tracked_) {
      std::lock_guard<std::mutex> hold(t->mutex_);
      if (!t->bound_ || t->idle_ || t->timed_out_ || t->deadline_ > now) continue;
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
