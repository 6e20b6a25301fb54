#pragma once

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "server.hpp"
#include "wire.hpp"

namespace onboard::http::detail {

/// What a worker serves requests with: one receive buffer, one request and one response
/// object, moved from connection to connection (an idle connection holds none of them).
struct Session {
  explicit Session(const Poco::Net::HTTPServerParams& params);
  wire::Wire wire;
  wire::ServerResponse response;
  wire::ServerRequest request;
  wire::HeadParser parser;
};

/// One client connection: its socket and what must survive between its requests.
class Connection {
 public:
  Connection(Poco::Net::StreamSocket socket, Poco::Net::SocketAddress client,
             Poco::Net::SocketAddress server, int max_requests);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  enum class Next { kPark, kClose };
  /// Serves the requests that have arrived (the connection is readable) until, after a
  /// response, no byte of another one is buffered (kPark: hand it to the poller) or the
  /// connection ends (kClose).
  Next Serve(Session& session, ApiServer& server, ApiServer::Tracked& tracked);

  int fd() const noexcept { return fd_; }
  const Poco::Net::StreamSocket& socket() const noexcept { return socket_; }

  uint64_t generation = 0;  ///< of the current parking (0: not parked); under the server's lock

 private:
  Poco::Net::StreamSocket socket_;
  Poco::Net::SocketAddress client_;
  Poco::Net::SocketAddress server_;
  std::string peer_;
  int fd_;
  int remaining_;
  bool first_ = true;
  std::chrono::steady_clock::time_point accepted_;
};

}  // namespace onboard::http::detail
