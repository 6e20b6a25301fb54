#include "connection.hpp"

#include <Poco/Net/HTTPResponse.h>

#include <algorithm>

#include "crypto.hpp"
#include "problem.hpp"

namespace onboard::http::detail {

namespace {

using Clock = std::chrono::steady_clock;
using Poco::Net::HTTPResponse;

// A problem+json answer for a request that never became a request object (it could not
// be parsed, or is refused before routing), recorded by the handler (metric, access log).
void AnswerBare(wire::Wire& wire, ServerHandler& handler, const std::string& peer, int status,
                const std::string& code, const std::string& title, const std::string& detail,
                Clock::time_point started) {
  const std::string request_id = crypto::NewUuid();
  Problem problem;
  problem.status = status;
  problem.code = code;
  problem.title = title;
  problem.detail = detail;
  problem.request_id = request_id;
  wire.Send(ProblemResponse(problem, 0));  // false: the peer is gone
  EarlyAnswer answer;
  answer.route = "(malformed request)";
  answer.status = status;
  answer.code = code;
  answer.request_id = request_id;
  answer.peer = peer;
  answer.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  handler.Answered(answer);
}

void AnswerMalformed(wire::Wire& wire, ServerHandler& handler, const std::string& peer,
                     Clock::time_point started) {
  AnswerBare(wire, handler, peer, 400, "malformed_request", "Bad Request",
             "the request is not well-formed HTTP/1.1", started);
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

}  // namespace

Session::Session(const Poco::Net::HTTPServerParams& params)
    : wire(-1),
      response(wire),
      request(wire, response, params, Poco::Net::SocketAddress(), Poco::Net::SocketAddress()) {}

Connection::Connection(Poco::Net::StreamSocket socket, Poco::Net::SocketAddress client,
                       Poco::Net::SocketAddress server, int max_requests)
    : socket_(std::move(socket)),
      client_(std::move(client)),
      server_(std::move(server)),
      peer_(client_.host().toString()),
      fd_(socket_.impl()->sockfd()),
      remaining_(max_requests),
      accepted_(Clock::now()) {}

Connection::~Connection() {
  try {
    socket_.close();
  } catch (const Poco::Exception&) {
  }
}

Connection::Next Connection::Serve(Session& session, ApiServer& server,
                                   ApiServer::Tracked& tracked) {
  const Poco::Net::HTTPServerParams& params = *server.params();
  const ConnectionPolicy& policy = server.policy();
  ServerHandler& handler = server.handler();
  wire::Wire& wire = session.wire;
  wire::ServerRequest& request = session.request;
  wire::ServerResponse& response = session.response;
  wire.Attach(fd_);
  request.SetAddresses(client_, server_);
  while (true) {
    const auto started = Clock::now();
    // The header deadline runs from here, for a first request from the accept (the
    // reaper enforces it once bytes trickle in).
    tracked.Set((first_ ? accepted_ : started) + policy.header_timeout, false);
    first_ = false;
    const bool last = remaining_ > 0 && --remaining_ == 0;
    request.Reset();
    session.parser.Reset();
    const Head head = ReadHead(wire, session.parser, request);
    if (head == Head::kGone) return Next::kClose;
    if (head == Head::kMalformed || (head == Head::kEnded && !tracked.TimedOut())) {
      AnswerMalformed(wire, handler, peer_, started);
      return Next::kClose;
    }
    if (head == Head::kEnded) {
      AnswerBare(wire, handler, peer_, 408, "request_timeout", "Request Timeout",
                 "the request did not arrive in time", started);
      return Next::kClose;
    }
    tracked.Set(started + policy.request_timeout, false);
    wire.Consume(session.parser.head_size());
    const std::string& version = request.getVersion();
    if (version.rfind("HTTP/", 0) != 0) {
      AnswerMalformed(wire, handler, peer_, started);
      return Next::kClose;
    }
    if (version != Poco::Net::HTTPMessage::HTTP_1_1 &&
        version != Poco::Net::HTTPMessage::HTTP_1_0) {
      AnswerBare(wire, handler, peer_, 505, "http_version_not_supported",
                 "HTTP Version Not Supported", "only HTTP/1.1 and HTTP/1.0 are spoken here",
                 started);
      return Next::kClose;
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
        AnswerMalformed(wire, handler, peer_, started);
        return Next::kClose;
      }
      if (length < 0) close_after = true;
    }
    request.BeginBody(length);
    response.Reset(version, request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD);
    response.set("Date", wire::HttpDateNow());
    response.setKeepAlive(params.getKeepAlive() && request.getKeepAlive() && !last &&
                          !server.stopping() && !close_after);
    if (request.getExpectContinue() && response.getStatus() == HTTPResponse::HTTP_OK)
      response.sendContinue();
    handler.Handle(request, response);
    // Answered with Connection: close (an unread body, a stopping server): done, even
    // when the socket would still deliver bytes.
    bool reusable = response.Finish() && response.getKeepAlive();
    const Poco::Int64 unread = request.EndBody();
    if (reusable && unread > 0) reusable = SkipBody(wire, unread);
    if (!reusable) return Next::kClose;
    wire.Shrink();
    tracked.Set(Clock::time_point::max(), true);
    if (server.stopping()) return Next::kClose;
    // A pipelined request is served at once; else the connection waits for its next one
    // here while the worker is not needed elsewhere, or in the poller.
    if (wire.Buffered().empty() && !server.KeepWhileFree(tracked, fd_)) return Next::kPark;
  }
}

}  // namespace onboard::http::detail
