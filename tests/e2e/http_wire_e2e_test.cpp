// HTTP/1.1 behaviour of the real onboard-api over a raw socket (label e2e): pipelined
// requests, HTTP/1.0 keep-alive rules, Expect: 100-continue, bodies that arrive in pieces,
// an unread body skipped, Connection: close, a bad Content-Length.
#include <Poco/Net/StreamSocket.h>
#include <Poco/String.h>
#include <gtest/gtest.h>

#include <thread>

#include "e2e_helpers.hpp"

namespace onboard::testsupport {
namespace {

using HttpWire = ApiSuite<DefaultConfig>;

struct Answer {
  int status = 0;
  std::string version;
  Poco::Net::NameValueCollection headers;
  std::string body;
};

// A raw connection that reads answers one at a time, framed by their Content-Length.
class Connection : public RawSocket {
 public:
  explicit Connection(int port) : RawSocket(port, std::chrono::seconds(10)) {}

  // The next answer; status 0 when the connection ended first.
  Answer Next(bool head_request = false) {
    Answer a;
    std::size_t end;
    while ((end = data_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return a;
    }
    std::istringstream head(data_.substr(0, end));
    std::string line;
    std::getline(head, line);
    a.version = line.substr(0, 8);
    a.status = std::atoi(line.c_str() + 9);
    while (std::getline(head, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const auto colon = line.find(':');
      if (colon != std::string::npos)
        a.headers.add(line.substr(0, colon), Poco::trim(line.substr(colon + 1)));
    }
    data_.erase(0, end + 4);
    const std::size_t length =
        head_request || a.status == 100 ? 0 : std::stoul(a.headers.get("Content-Length", "0"));
    while (data_.size() < length) {
      if (!Fill()) return Answer{};
    }
    a.body = data_.substr(0, length);
    data_.erase(0, length);
    return a;
  }

  // True when the server closes the connection within `timeout` without sending more.
  bool ClosedBy(std::chrono::milliseconds timeout) {
    SetReadTimeout(timeout);
    try {
      char c;
      return socket_.receiveBytes(&c, 1) == 0 && data_.empty();
    } catch (const Poco::Exception&) {
      return false;
    }
  }

 private:
  bool Fill() {
    char buf[8192];
    try {
      const int n = socket_.receiveBytes(buf, sizeof buf);
      if (n <= 0) return false;
      data_.append(buf, static_cast<std::size_t>(n));
      return true;
    } catch (const Poco::Exception&) {
      return false;
    }
  }

  std::string data_;
};

OrgnoSequence wire_orgnos(94000000);

TEST_F(HttpWire, PipelinedRequestsOnOneConnectionAreAnsweredInOrder) {
  Connection c(env().api->port());
  c.Send(
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: first\r\n\r\n"
      "GET /nope HTTP/1.1\r\nHost: x\r\nX-Request-Id: second\r\n\r\n"
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: third\r\n\r\n");
  const Answer a = c.Next();
  const Answer b = c.Next();
  const Answer d = c.Next();
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.headers.get("X-Request-Id", ""), "first");
  EXPECT_EQ(b.status, 404);
  EXPECT_EQ(b.headers.get("X-Request-Id", ""), "second");
  EXPECT_EQ(d.status, 200);
  EXPECT_EQ(d.headers.get("X-Request-Id", ""), "third");
  EXPECT_EQ(Poco::icompare(d.headers.get("Connection", ""), "keep-alive"), 0);
}

TEST_F(HttpWire, Http10ClosesAfterTheAnswerUnlessAskedToKeepAlive) {
  {
    Connection c(env().api->port());
    c.Send("GET /healthz HTTP/1.0\r\n\r\n");
    const Answer a = c.Next();
    EXPECT_EQ(a.status, 200);
    EXPECT_EQ(a.version, "HTTP/1.0");
    EXPECT_EQ(Poco::icompare(a.headers.get("Connection", ""), "close"), 0);
    EXPECT_TRUE(c.ClosedBy(std::chrono::seconds(3)));
  }
  Connection c(env().api->port());
  for (int i = 0; i < 2; ++i) {
    c.Send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    const Answer a = c.Next();
    EXPECT_EQ(a.status, 200) << i;
    EXPECT_EQ(Poco::icompare(a.headers.get("Connection", ""), "keep-alive"), 0) << i;
  }
}

TEST_F(HttpWire, ConnectionCloseIsHonoured) {
  Connection c(env().api->port());
  c.Send(
      "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /healthz HTTP/1.1\r\nHost: "
      "x\r\n\r\n");
  EXPECT_EQ(c.Next().status, 200);
  EXPECT_TRUE(c.ClosedBy(std::chrono::seconds(3)))
      << "the pipelined request after Connection: close was answered";
}

TEST_F(HttpWire, ExpectContinueGets100BeforeTheBodyIsSent) {
  Connection c(env().api->port());
  const std::string body = OrgBody(wire_orgnos.Next(), "Continued");
  c.Send("POST /v1/organisations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + env().op.secret +
         "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n");
  EXPECT_EQ(c.Next().status, 100);
  c.Send(body);
  const Answer a = c.Next();
  EXPECT_EQ(a.status, 201) << a.body;
}

TEST_F(HttpWire, ABodyThatArrivesInPiecesIsReadWholeAndTheNextRequestFollows) {
  Connection c(env().api->port());
  const std::string body = OrgBody(wire_orgnos.Next(), "Pieces");
  const std::string next = "GET /healthz HTTP/1.1\r\n\r\n";
  const std::string request =
      "POST /v1/organisations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + env().op.secret +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n\r\n" + body + next;
  const std::size_t head = request.size() - body.size() - next.size();
  // Cut inside the head, at its last bytes, inside the body, between the body and the next
  // request, and inside that.
  const std::size_t cuts[] = {10, head - 3, head + body.size() / 2, head + body.size(),
                              head + body.size() + 5};
  std::size_t from = 0;
  for (std::size_t cut : cuts) {
    c.Send(request.substr(from, cut - from));
    from = cut;
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  c.Send(request.substr(from));
  const Answer a = c.Next();
  EXPECT_EQ(a.status, 201) << a.body;
  EXPECT_EQ(c.Next().status, 200);
}

TEST_F(HttpWire, AnUnreadSmallBodyIsSkippedAndTheConnectionCarriesOn) {
  Connection c(env().api->port());
  c.Send(
      "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 14\r\n\r\nGET /nope HTTP"
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: after\r\n\r\n");
  EXPECT_EQ(c.Next().status, 200);
  const Answer b = c.Next();
  EXPECT_EQ(b.status, 200) << "the unread body was taken for a request";
  EXPECT_EQ(b.headers.get("X-Request-Id", ""), "after");
}

TEST_F(HttpWire, AnInvalidContentLengthIs400ProblemJson) {
  const HttpResponse r =
      env().http->Raw("POST /v1/organisations HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\n",
                      std::chrono::seconds(3));
  ExpectProblem(r, 400, "malformed_request");
}

}  // namespace
}  // namespace onboard::testsupport
