// The server's own HTTP/1.1 head parser, body stream and response writer (wire.hpp):
// request-line and field edge cases, Poco's limits, partial reads, pipelining, framing.
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPServerParams.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>

#include "wire.hpp"

namespace onboard::http::wire {
namespace {

using Poco::Net::HTTPRequest;

HeadStatus ParseAll(const std::string& data, HTTPRequest& request, HeadParser& parser) {
  parser.Reset();
  return parser.Parse(data, request);
}

HeadStatus ParseAll(const std::string& data, HTTPRequest& request) {
  HeadParser parser;
  return ParseAll(data, request, parser);
}

TEST(HeadParser, ReadsTheRequestLineAndTheFields) {
  HTTPRequest r;
  HeadParser parser;
  const std::string head =
      "POST /v1/x?a=b HTTP/1.1\r\nHost: api\r\nX-Padded:   v  \r\nEmpty:\r\n\r\n";
  ASSERT_EQ(ParseAll(head, r, parser), HeadStatus::kComplete) << parser.error();
  EXPECT_EQ(r.getMethod(), "POST");
  EXPECT_EQ(r.getURI(), "/v1/x?a=b");
  EXPECT_EQ(r.getVersion(), "HTTP/1.1");
  EXPECT_EQ(r.get("host"), "api");
  EXPECT_EQ(r.get("X-Padded"), "v");
  EXPECT_TRUE(r.has("Empty"));
  EXPECT_EQ(r.get("Empty"), "");
  EXPECT_EQ(parser.head_size(), head.size());
}

TEST(HeadParser, ResumesAHeadThatArrivesByteByByte) {
  const std::string head =
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\nAccept: */*\r\n\r\n";
  HTTPRequest r;
  HeadParser parser;
  for (std::size_t n = 1; n < head.size(); ++n) {
    ASSERT_EQ(parser.Parse(std::string_view(head).substr(0, n), r), HeadStatus::kIncomplete) << n;
  }
  ASSERT_EQ(parser.Parse(head, r), HeadStatus::kComplete);
  EXPECT_EQ(r.getURI(), "/healthz");
  EXPECT_EQ(r.get("X-Folded"), "a b");
  EXPECT_EQ(r.get("Accept"), "*/*");
  EXPECT_EQ(r.size(), 3u) << "each field is added once, however the bytes arrived";
}

TEST(HeadParser, LeavesAPipelinedRequestForTheNextParse) {
  const std::string first = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string second = "GET /b HTTP/1.1\r\nHost: y\r\n\r\n";
  const std::string both = first + second + "GET /c HT";
  HTTPRequest a;
  HeadParser parser;
  ASSERT_EQ(ParseAll(both, a, parser), HeadStatus::kComplete);
  EXPECT_EQ(a.getURI(), "/a");
  ASSERT_EQ(parser.head_size(), first.size());
  HTTPRequest b;
  ASSERT_EQ(ParseAll(both.substr(first.size()), b, parser), HeadStatus::kComplete);
  EXPECT_EQ(b.getURI(), "/b");
  EXPECT_EQ(b.get("Host"), "y");
  HTTPRequest c;
  EXPECT_EQ(ParseAll(both.substr(first.size() + second.size()), c, parser),
            HeadStatus::kIncomplete);
}

TEST(HeadParser, SkipsBlankLinesBeforeTheRequestLineAndAcceptsBareLineFeeds) {
  HTTPRequest r;
  ASSERT_EQ(ParseAll("\r\n\r\nGET / HTTP/1.0\nHost: x\n\n", r), HeadStatus::kComplete);
  EXPECT_EQ(r.getVersion(), "HTTP/1.0");
  EXPECT_EQ(r.get("Host"), "x");
  HTTPRequest blank;
  EXPECT_EQ(ParseAll("\r\n\r\n\r\n", blank), HeadStatus::kIncomplete)
      << "nothing but blank lines is no request yet";
}

TEST(HeadParser, IgnoresALineWithoutAColonAsPocoDid) {
  HTTPRequest r;
  ASSERT_EQ(ParseAll("GET / HTTP/1.1\r\nnonsense\r\nHost: x\r\n\r\n", r), HeadStatus::kComplete);
  EXPECT_EQ(r.size(), 1u);
  EXPECT_EQ(r.get("Host"), "x");
}

TEST(HeadParser, IgnoresWhatFollowsTheVersionOnTheRequestLine) {
  HTTPRequest r;
  ASSERT_EQ(ParseAll("GET  /x \t HTTP/1.1 trailing words\r\n\r\n", r), HeadStatus::kComplete);
  EXPECT_EQ(r.getURI(), "/x");
  EXPECT_EQ(r.getVersion(), "HTTP/1.1");
}

TEST(HeadParser, RefusesARequestLineWithoutMethodTargetAndVersion) {
  for (const std::string& bad : {std::string("GET\r\n\r\n"), std::string("GET /\r\n\r\n"),
                                 std::string("\x16\x03\x01\x02\x00\x01\r\n\r\n", 10)}) {
    HTTPRequest r;
    HeadParser parser;
    EXPECT_EQ(ParseAll(bad, r, parser), HeadStatus::kMalformed) << bad;
    EXPECT_STRNE(parser.error(), "");
  }
}

TEST(HeadParser, RefusesABareCarriageReturn) {
  HTTPRequest r;
  EXPECT_EQ(ParseAll("GET / HTTP/1.1\r\nX-A: a\rb\r\n\r\n", r), HeadStatus::kMalformed);
}

TEST(HeadParser, HoldsPocosLimitsOnTheRequestLine) {
  const auto line = [](std::size_t method, std::size_t uri, std::size_t version) {
    return std::string(method, 'M') + " /" + std::string(uri - 1, 'u') + " HTTP/" +
           std::string(version - 5, '1') + "\r\n\r\n";
  };
  HTTPRequest r;
  EXPECT_EQ(ParseAll(line(32, 16384, 8), r), HeadStatus::kComplete);
  EXPECT_EQ(ParseAll(line(33, 10, 8), r), HeadStatus::kMalformed);
  EXPECT_EQ(ParseAll(line(3, 16385, 8), r), HeadStatus::kMalformed);
  EXPECT_EQ(ParseAll(line(3, 10, 9), r), HeadStatus::kMalformed);
}

TEST(HeadParser, HoldsPocosLimitsOnFields) {
  HTTPRequest r;
  const std::string start = "GET / HTTP/1.1\r\n";
  EXPECT_EQ(ParseAll(start + std::string(256, 'n') + ": v\r\n\r\n", r), HeadStatus::kComplete);
  EXPECT_EQ(ParseAll(start + std::string(257, 'n') + ": v\r\n\r\n", r), HeadStatus::kMalformed);
  EXPECT_EQ(ParseAll(start + "X: " + std::string(8192, 'v') + "\r\n\r\n", r),
            HeadStatus::kComplete);
  EXPECT_EQ(ParseAll(start + "X: " + std::string(8193, 'v') + "\r\n\r\n", r),
            HeadStatus::kMalformed);
  EXPECT_EQ(
      ParseAll(
          start + "X: " + std::string(8000, 'v') + "\r\n " + std::string(500, 'w') + "\r\n\r\n", r),
      HeadStatus::kMalformed)
      << "folded lines count towards the value's limit";
  std::string fields;
  for (int i = 0; i < 100; ++i) fields += "X-" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(ParseAll(start + fields + "\r\n", r), HeadStatus::kComplete);
  EXPECT_EQ(ParseAll(start + fields + "X-100: v\r\n\r\n", r), HeadStatus::kMalformed);
}

TEST(HeadParser, RefusesALineThatBreaksALimitBeforeItsEndArrives) {
  HTTPRequest r;
  EXPECT_EQ(ParseAll(std::string(9000, 'A'), r), HeadStatus::kMalformed);
  EXPECT_EQ(ParseAll("GET /" + std::string(17000, 'u'), r), HeadStatus::kMalformed);
  EXPECT_EQ(ParseAll("GET / HTTP/1.1\r\n" + std::string(300, 'h'), r), HeadStatus::kMalformed);
  EXPECT_EQ(ParseAll("GET / HTTP/1.1\r\nX-Big: " + std::string(9000, 'b'), r),
            HeadStatus::kMalformed);
  // Within the limits an unfinished head just waits for more.
  EXPECT_EQ(ParseAll("GET / HTTP/1.1\r\nX-Big: " + std::string(8000, 'b'), r),
            HeadStatus::kIncomplete);
  EXPECT_EQ(ParseAll("GET /" + std::string(16000, 'u'), r), HeadStatus::kIncomplete);
}

TEST(HeadParser, RefusesAHeadLargerThanItsWholeLimit) {
  HeadLimits limits;
  limits.head = 4096;
  HeadParser parser(limits);
  std::string head = "GET / HTTP/1.1\r\n";
  while (head.size() < 5000)
    head += "no colon on this line\r\n";  // ignored lines, each within its limit
  HTTPRequest r;
  EXPECT_EQ(parser.Parse(head, r), HeadStatus::kMalformed);
}

TEST(HeadParser, DecodesEncodedWordsAsPocoDid) {
  HTTPRequest r;
  ASSERT_EQ(ParseAll("GET / HTTP/1.1\r\nX-Name: =?UTF-8?Q?caf=C3=A9?=\r\n\r\n", r),
            HeadStatus::kComplete);
  EXPECT_EQ(r.get("X-Name"), "caf\xC3\xA9");
}

// A connected pair of sockets: the Wire on one end, the test on the other.
class SocketPair {
 public:
  SocketPair() {
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_) != 0)
      throw std::runtime_error("socketpair failed");
  }
  ~SocketPair() {
    ::close(fds_[0]);
    if (fds_[1] >= 0) ::close(fds_[1]);
  }
  int server() const { return fds_[0]; }
  void Write(const std::string& s) const {
    ASSERT_EQ(::write(fds_[1], s.data(), s.size()), static_cast<ssize_t>(s.size()));
  }
  void CloseWrite() const { ::shutdown(fds_[1], SHUT_WR); }
  void ClosePeer() {
    ::close(fds_[1]);
    fds_[1] = -1;
  }
  // Everything the server end sent until it stops writing (shutdown of its send side).
  std::string ReadUntilEnd() const {
    std::string out;
    char buf[65536];
    while (true) {
      const ssize_t n = ::read(fds_[1], buf, sizeof buf);
      if (n <= 0) return out;
      out.append(buf, static_cast<std::size_t>(n));
    }
  }
  void EndServerSend() const { ::shutdown(fds_[0], SHUT_WR); }

 private:
  int fds_[2] = {-1, -1};
};

struct Exchange {
  SocketPair pair;
  Wire wire{pair.server(), 64};
  ServerResponse response{wire};
  Poco::AutoPtr<Poco::Net::HTTPServerParams> params = new Poco::Net::HTTPServerParams;
  ServerRequest request{wire, response, *params, Poco::Net::SocketAddress("127.0.0.1", 1),
                        Poco::Net::SocketAddress("127.0.0.1", 2)};
  HeadParser parser;

  // Receives and parses one head (the test has written it), as the connection does.
  void ReadHead() {
    request.Reset();
    parser.Reset();
    while (parser.Parse(wire.Buffered(), request) == HeadStatus::kIncomplete) {
      ASSERT_EQ(wire.Receive(HeadLimits{}.head), Wire::Received::kData);
    }
    wire.Consume(parser.head_size());
    request.BeginBody(request.hasContentLength() ? request.getContentLength64() : 0);
  }
};

TEST(WireBody, ServesBufferedBytesThenTheSocketAndStopsAtContentLength) {
  Exchange x;
  x.pair.Write("POST /a HTTP/1.1\r\nContent-Length: 10\r\n\r\n12345");
  x.ReadHead();
  auto later = std::async(std::launch::async, [&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    x.pair.Write("67890GET /b HTTP/1.1\r\n\r\n");
  });
  std::string body(20, '\0');
  x.request.stream().read(body.data(), 20);
  later.get();
  EXPECT_EQ(x.request.stream().gcount(), 10);
  body.resize(10);
  EXPECT_EQ(body, "1234567890");
  EXPECT_EQ(x.request.EndBody(), 0);
  // Receive may not have fetched the pipelined request with the body's last bytes.
  while (x.wire.Buffered().find("\r\n\r\n") == std::string_view::npos) {
    ASSERT_EQ(x.wire.Receive(HeadLimits{}.head), Wire::Received::kData);
  }
  x.ReadHead();
  EXPECT_EQ(x.request.getURI(), "/b");
}

TEST(WireBody, AHandlerThatReadsPartOfTheBodyLeavesTheRestCounted) {
  Exchange x;
  x.pair.Write("POST /a HTTP/1.1\r\nContent-Length: 8\r\n\r\nabcdefghGET /b HTTP/1.1\r\n\r\n");
  x.ReadHead();
  char two[2];
  x.request.stream().read(two, 2);
  EXPECT_EQ(x.request.EndBody(), 6);
  x.wire.Consume(6);
  x.ReadHead();
  EXPECT_EQ(x.request.getURI(), "/b");
}

TEST(WireBody, ABodyCutShortEndsTheStreamWithWhatCame) {
  Exchange x;
  x.pair.Write("POST /a HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
  x.pair.CloseWrite();
  x.ReadHead();
  std::string body(10, '\0');
  x.request.stream().read(body.data(), 10);
  EXPECT_EQ(x.request.stream().gcount(), 3);
  EXPECT_EQ(x.request.EndBody(), 7);
}

TEST(WireBody, ARequestWithoutContentLengthHasAnEmptyBody) {
  Exchange x;
  x.pair.Write("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
  x.ReadHead();
  EXPECT_EQ(x.request.stream().get(), std::char_traits<char>::eof());
  EXPECT_EQ(x.request.EndBody(), 0);
  x.ReadHead();
  EXPECT_EQ(x.request.getURI(), "/b");
}

std::string Respond(Exchange& x, const std::function<void(ServerResponse&)>& handler,
                    bool* reusable = nullptr, bool head = false) {
  x.response.Reset("HTTP/1.1", head);
  x.response.set("Date", HttpDateNow());
  x.response.setKeepAlive(true);
  auto reader = std::async(std::launch::async, [&] { return x.pair.ReadUntilEnd(); });
  handler(x.response);
  const bool ok = x.response.Finish();
  if (reusable != nullptr) *reusable = ok;
  x.pair.EndServerSend();
  return reader.get();
}

TEST(WireResponse, WritesTheStatusLineFieldsAndBody) {
  Exchange x;
  bool reusable = false;
  const std::string out = Respond(
      x,
      [](ServerResponse& r) {
        r.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_CREATED);
        r.set("X-Request-Id", "rid");
        r.setContentType("application/json");
        r.setContentLength(7);
        r.send() << "{\"a\":1}";
      },
      &reusable);
  EXPECT_TRUE(reusable);
  EXPECT_EQ(out.rfind("HTTP/1.1 201 Created\r\nDate: ", 0), 0u) << out;
  EXPECT_NE(
      out.find(
          "\r\nConnection: Keep-Alive\r\nX-Request-Id: rid\r\nContent-Type: application/json\r\n"
          "Content-Length: 7\r\n\r\n{\"a\":1}"),
      std::string::npos)
      << out;
  EXPECT_EQ(out.substr(out.size() - 7), "{\"a\":1}");
}

TEST(WireResponse, DropsBytesBeyondContentLengthAndCannotReuseAShortBody) {
  Exchange x;
  bool reusable = false;
  std::string out = Respond(
      x,
      [](ServerResponse& r) {
        r.setContentLength(3);
        r.send() << "abcdef";
      },
      &reusable);
  EXPECT_TRUE(reusable);
  EXPECT_EQ(out.substr(out.size() - 7), "\r\n\r\nabc");
  Exchange y;
  out = Respond(
      y,
      [](ServerResponse& r) {
        r.setContentLength(10);
        r.send() << "abc";
      },
      &reusable);
  EXPECT_FALSE(reusable) << "the client would wait for the missing bytes";
}

TEST(WireResponse, StreamsALargeChunkedBodyInChunksAndEndsIt) {
  Exchange x;
  std::string expected;
  for (int i = 0; i < 30000; ++i) expected += "line " + std::to_string(i) + "\n";
  bool reusable = false;
  const std::string out = Respond(
      x,
      [&](ServerResponse& r) {
        r.setChunkedTransferEncoding(true);
        std::ostream& o = r.send();
        for (std::size_t i = 0; i < expected.size(); i += 1000) {
          o.write(expected.data() + i,
                  static_cast<std::streamsize>(std::min<std::size_t>(1000, expected.size() - i)));
        }
        o.flush();
        EXPECT_TRUE(o.good());
      },
      &reusable);
  EXPECT_TRUE(reusable);
  const std::size_t head_end = out.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos);
  EXPECT_NE(out.substr(0, head_end).find("Transfer-Encoding: chunked"), std::string::npos);
  std::string body;
  std::size_t pos = head_end + 4;
  int chunks = 0;
  while (true) {
    const std::size_t eol = out.find("\r\n", pos);
    ASSERT_NE(eol, std::string::npos);
    const std::size_t size = std::stoul(out.substr(pos, eol - pos), nullptr, 16);
    pos = eol + 2;
    if (size == 0) break;
    ASSERT_LE(size, ServerResponse::kFlushBytes + 1000);
    body += out.substr(pos, size);
    pos += size;
    ASSERT_EQ(out.substr(pos, 2), "\r\n");
    pos += 2;
    ++chunks;
  }
  EXPECT_EQ(out.substr(pos), "\r\n");
  EXPECT_EQ(body, expected);
  EXPECT_GE(chunks, 3) << "a body of " << expected.size() << " bytes streams in chunks";
}

TEST(WireResponse, SendsNoBodyForHeadOr204) {
  Exchange x;
  std::string out = Respond(
      x,
      [](ServerResponse& r) {
        r.setContentLength(5);
        r.send() << "hello";
      },
      nullptr, true);
  EXPECT_EQ(out.find("hello"), std::string::npos);
  EXPECT_NE(out.find("Content-Length: 5\r\n\r\n"), std::string::npos);
  Exchange y;
  out = Respond(y, [](ServerResponse& r) {
    r.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
    r.send() << "ignored";
  });
  EXPECT_EQ(out.rfind("HTTP/1.1 204 No Content\r\n", 0), 0u);
  EXPECT_EQ(out.substr(out.size() - 4), "\r\n\r\n");
}

TEST(WireResponse, ABodyWithoutLengthRunsUntilTheConnectionCloses) {
  Exchange x;
  bool reusable = true;
  const std::string out = Respond(
      x, [](ServerResponse& r) { r.send() << "free text"; }, &reusable);
  EXPECT_FALSE(reusable);
  EXPECT_NE(out.find("\r\nConnection: Close\r\n"), std::string::npos) << out;  // Poco's spelling
  EXPECT_EQ(out.substr(out.size() - 9), "free text");
}

TEST(WireResponse, AResponseNobodySentGoesOutEmpty) {
  Exchange x;
  bool reusable = false;
  const std::string out = Respond(
      x, [](ServerResponse&) {}, &reusable);
  EXPECT_TRUE(reusable);
  EXPECT_EQ(out.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  EXPECT_NE(out.find("Content-Length: 0\r\n\r\n"), std::string::npos);
}

TEST(WireResponse, AGonePeerFailsTheStreamInsteadOfRaisingSigpipe) {
  Exchange x;
  x.pair.ClosePeer();
  x.response.Reset("HTTP/1.1", false);
  x.response.setChunkedTransferEncoding(true);
  std::ostream& o = x.response.send();
  o << "data";
  o.flush();
  EXPECT_FALSE(o.good());
  EXPECT_FALSE(x.response.Finish());
}

TEST(HttpDate, IsTheRfc7231FormOfNow) {
  const std::string& date = HttpDateNow();
  ASSERT_EQ(date.size(), 29u) << date;
  EXPECT_EQ(date.substr(25), " GMT");
}

}  // namespace
}  // namespace onboard::http::wire
