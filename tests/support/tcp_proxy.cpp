#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <list>
#include <stdexcept>

#include "test_support.hpp"

namespace onboard::testsupport {

namespace {

void SetNonBlocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

int ConnectTo(const std::string& host, int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  SetNonBlocking(fd);
  return fd;
}

struct Link {
  int client = -1;
  int upstream = -1;
  std::string to_upstream;  // read from client, not yet written upstream
  std::string to_client;
  bool closed = false;
};

// Reads what is there into `buf`; false on EOF or error.
bool ReadInto(int fd, std::string& buf) {
  char tmp[65536];
  const ssize_t n = ::read(fd, tmp, sizeof(tmp));
  if (n > 0) {
    buf.append(tmp, static_cast<std::size_t>(n));
    return true;
  }
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
}

// Writes as much of `buf` as the socket takes; false on error.
bool WriteFrom(int fd, std::string& buf) {
  const ssize_t n = ::send(fd, buf.data(), buf.size(), MSG_NOSIGNAL);
  if (n >= 0) {
    buf.erase(0, static_cast<std::size_t>(n));
    return true;
  }
  return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

}  // namespace

TcpProxy::TcpProxy(std::string target_host, int target_port)
    : target_host_(std::move(target_host)), target_port_(target_port) {
  if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("pipe2 failed");
  Start();
}

TcpProxy::~TcpProxy() {
  Stop();
  ::close(wake_[0]);
  ::close(wake_[1]);
}

void TcpProxy::Listen() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error("socket failed");
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(listen_fd_, 64) != 0) {
    const std::string err = std::strerror(errno);
    ::close(listen_fd_);
    listen_fd_ = -1;
    throw std::runtime_error("proxy cannot listen on port " + std::to_string(port_) + ": " + err);
  }
  socklen_t len = sizeof(addr);
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  SetNonBlocking(listen_fd_);
}

void TcpProxy::Start() {
  if (thread_.joinable()) return;
  Listen();
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void TcpProxy::Stop() {
  if (!thread_.joinable()) return;
  stop_ = true;
  const char c = 'x';
  [[maybe_unused]] auto n = ::write(wake_[1], &c, 1);
  thread_.join();
  char drain[64];
  while (::read(wake_[0], drain, sizeof(drain)) > 0) {
  }
}

void TcpProxy::Loop() {
  std::list<Link> links;
  auto close_link = [](Link& l) {
    if (!l.to_upstream.empty()) WriteFrom(l.upstream, l.to_upstream);
    if (!l.to_client.empty()) WriteFrom(l.client, l.to_client);
    ::close(l.client);
    ::close(l.upstream);
    l.closed = true;
  };
  while (!stop_) {
    std::vector<pollfd> fds;
    fds.push_back({wake_[0], POLLIN, 0});
    fds.push_back({listen_fd_, POLLIN, 0});
    for (auto& l : links) {
      short c = 0, u = 0;
      if (l.to_upstream.size() < (1u << 20)) c |= POLLIN;
      if (!l.to_client.empty()) c |= POLLOUT;
      if (l.to_client.size() < (1u << 20)) u |= POLLIN;
      if (!l.to_upstream.empty()) u |= POLLOUT;
      fds.push_back({l.client, c, 0});
      fds.push_back({l.upstream, u, 0});
    }
    if (::poll(fds.data(), fds.size(), 1000) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (stop_) break;
    if (fds[1].revents & POLLIN) {
      while (true) {
        const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (client < 0) break;
        ++accepted_;
        const int upstream = ConnectTo(target_host_, target_port_);
        if (upstream < 0) {
          ::close(client);
          continue;
        }
        int one = 1;
        ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        links.push_back(Link{client, upstream, {}, {}, false});
      }
    }
    std::size_t i = 2;
    for (auto& l : links) {
      if (i + 1 >= fds.size()) break;  // accepted in this round: polled next round
      const short cr = fds[i].revents, ur = fds[i + 1].revents;
      i += 2;
      bool ok = true;
      if (cr & (POLLIN | POLLHUP | POLLERR)) ok = ReadInto(l.client, l.to_upstream) && ok;
      if (ur & (POLLIN | POLLHUP | POLLERR)) ok = ReadInto(l.upstream, l.to_client) && ok;
      if (ok && !l.to_upstream.empty()) ok = WriteFrom(l.upstream, l.to_upstream);
      if (ok && !l.to_client.empty()) ok = WriteFrom(l.client, l.to_client);
      if (!ok) close_link(l);
    }
    links.remove_if([](const Link& l) { return l.closed; });
  }
  for (auto& l : links) {
    ::close(l.client);
    ::close(l.upstream);
  }
  ::close(listen_fd_);
  listen_fd_ = -1;
}

}  // namespace onboard::testsupport
