#pragma once

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SocketAddress.h>

#include <cstddef>
#include <istream>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

namespace onboard::http::wire {

/// The limits of a request head: Poco's (HTTPRequest::MAX_*, MessageHeader::MAX_* and
/// DFL_FIELD_LIMIT), which the server enforced before it parsed heads itself.
struct HeadLimits {
  std::size_t method = 32;
  std::size_t uri = 16384;
  std::size_t version = 8;
  std::size_t field_name = 256;
  std::size_t field_value = 8192;  ///< including folded continuation lines
  int fields = 100;
  /// The whole head: what the per-line limits leave unbounded (blank lines before the
  /// request line, lines without a colon, which are ignored as Poco ignored them).
  std::size_t head = 1024 * 1024;
};

enum class HeadStatus { kIncomplete, kComplete, kMalformed };

/// Parses a request line and header fields (RFC 9112 section 2-5, with Poco's leniency:
/// blank lines before the request line, lines without a colon ignored, obsolete line
/// folding joined, RFC 2047 words decoded). Resumable: each call gets every byte received
/// since the head began (the previous bytes plus more) and looks only at the new lines, so
/// a head trickled byte by byte costs linear time. A line that already breaks a limit is
/// refused before its end arrives. Not thread-safe; one per connection.
class HeadParser {
 public:
  explicit HeadParser(HeadLimits limits = {}) : limits_(limits) {}

  /// Forgets the previous head.
  void Reset();
  /// Adds the method, URI, version and fields to `into` as their lines complete.
  HeadStatus Parse(std::string_view data, Poco::Net::HTTPRequest& into);
  /// Bytes of the head including its blank line (after kComplete).
  std::size_t head_size() const noexcept { return head_size_; }
  /// Why the head was refused (after kMalformed; for logs, never shown verbatim).
  const char* error() const noexcept { return error_; }

 private:
  enum class Stage { kStart, kRequestLine, kFields, kDone };
  HeadStatus Fail(const char* why);
  bool RequestLine(std::string_view line, Poco::Net::HTTPRequest& into);
  const char* PartialLineFails(std::string_view partial) const;
  void Commit(Poco::Net::HTTPRequest& into);

  HeadLimits limits_;
  Stage stage_ = Stage::kStart;
  std::size_t pos_ = 0;
  std::size_t head_size_ = 0;
  int fields_ = 0;
  bool pending_ = false;  // a field waits for its possible continuation lines
  std::string pending_name_;
  std::string pending_value_;
  const char* error_ = "";
};

/// The Date header's value for now, formatted once per second per thread.
const std::string& HttpDateNow();

/// One connection's bytes: a receive buffer over a connected socket descriptor (not
/// owned) and blocking sends. The socket's SO_RCVTIMEO/SO_SNDTIMEO bound each call; a
/// shutdownReceive() from another thread ends a pending receive as the end of the stream.
/// The buffer is wiped when it is replaced and when the Wire is destroyed (it held
/// Authorization headers and request bodies).
class Wire {
 public:
  explicit Wire(int fd, std::size_t initial_capacity = 16 * 1024);
  Wire(const Wire&) = delete;
  Wire& operator=(const Wire&) = delete;
  ~Wire();

  /// kWait: nothing came within the socket's receive timeout (SO_RCVTIMEO; the server
  /// sets a short one and decides itself how long to wait); kFull: the buffer is full at
  /// the limit Receive was given.
  enum class Received { kData, kEnd, kError, kFull, kWait };

  /// Bytes received and not consumed yet.
  std::string_view Buffered() const noexcept { return {buffer_.data() + begin_, end_ - begin_}; }
  void Consume(std::size_t n) noexcept;
  /// Receives once, appending to the buffered bytes; grows the buffer up to `limit` when
  /// it is full.
  Received Receive(std::size_t limit);
  /// Sends all of `data`; false when the peer is gone or the send timed out.
  bool Send(std::string_view data);
  /// Drops a buffer grown for a large head once nothing is buffered.
  void Shrink();
  /// Serves another connection's descriptor from now on (nothing may be buffered): what
  /// the previous one's requests left in the buffer is wiped first. A server worker keeps
  /// one Wire and moves it from connection to connection, so an idle connection holds no
  /// buffer.
  void Attach(int fd);

 private:
  int fd_;
  std::size_t initial_;
  std::string buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::size_t dirty_ = 0;  // bytes of buffer_ that held received data since the last wipe
};

/// The response of one request on a Wire, reused for every request of the connection.
/// Header and body are buffered and leave in one send when the handler is done (Finish),
/// or as soon as the buffered body passes kFlushBytes or the handler flushes the stream;
/// then the body streams on, in chunks when the handler asked for chunked encoding, else
/// up to its Content-Length (excess bytes are dropped, as Poco's fixed-length stream did).
/// Without either, the body runs until the connection closes (Connection: close).
class ServerResponse : public Poco::Net::HTTPServerResponse {
 public:
  static constexpr std::size_t kFlushBytes = 64 * 1024;

  explicit ServerResponse(Wire& wire);
  ServerResponse(const ServerResponse&) = delete;
  ServerResponse& operator=(const ServerResponse&) = delete;
  /// Wipes its buffers (a response may have carried a client secret).
  ~ServerResponse() override;

  /// Ready for the next request: no fields, 200 OK, `version`; `head`: a HEAD request,
  /// whose body is never sent.
  void Reset(const std::string& version, bool head);

  void sendContinue() override;
  std::ostream& send() override;
  void sendFile(const std::string& path, const std::string& media_type) override;
  void sendBuffer(const void* buffer, std::size_t length) override;
  void redirect(const std::string& uri, HTTPStatus status = HTTP_FOUND) override;
  void requireAuthentication(const std::string& realm) override;
  bool sent() const override { return sent_; }

  /// Sends what is buffered (a response nobody sent goes out as it stands, with an empty
  /// body) and ends a chunked body. False when the connection cannot carry another
  /// response: a send failed, the body fell short of its Content-Length, or it runs until
  /// the connection closes.
  bool Finish();

 private:
  enum class Framing { kDiscard, kFixed, kChunked, kUntilClose };
  class Body : public std::streambuf {
   public:
    explicit Body(ServerResponse& response) : response_(response) {}

   protected:
    int_type overflow(int_type c) override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;
    int sync() override;

   private:
    ServerResponse& response_;
  };

  static void Wipe(std::string& buffer);
  void Append(const char* data, std::size_t n);
  void FrameChunk();
  bool Flush();
  void WriteHead();

  Wire& wire_;
  Body body_;
  std::ostream stream_;
  std::string out_;    // bytes ready to go: the head, then body or framed chunks
  std::string chunk_;  // chunked: body bytes of the next chunk
  Framing framing_ = Framing::kDiscard;
  Poco::Int64 remaining_ = 0;  // kFixed: body bytes still expected
  bool head_ = false;
  bool sent_ = false;
  bool broken_ = false;
};

/// The request of one exchange on a Wire, reused for every request of the connection.
/// Its body stream serves the bytes already received after the head, then receives more,
/// never beyond the body's length: what follows (a pipelined request) stays buffered.
class ServerRequest : public Poco::Net::HTTPServerRequest {
 public:
  ServerRequest(Wire& wire, ServerResponse& response, const Poco::Net::HTTPServerParams& params,
                Poco::Net::SocketAddress client, Poco::Net::SocketAddress server);

  /// Forgets the previous request's fields.
  void Reset();
  /// The addresses of the connection the next requests come from.
  void SetAddresses(Poco::Net::SocketAddress client, Poco::Net::SocketAddress server);
  /// The head is consumed from the Wire; the body is the next `length` bytes.
  void BeginBody(Poco::Int64 length);
  /// Stops the body where the handler left it; returns its bytes not consumed.
  Poco::Int64 EndBody();

  std::istream& stream() override { return stream_; }
  const Poco::Net::SocketAddress& clientAddress() const override { return client_; }
  const Poco::Net::SocketAddress& serverAddress() const override { return server_; }
  const Poco::Net::HTTPServerParams& serverParams() const override { return params_; }
  Poco::Net::HTTPServerResponse& response() const override { return response_; }
  bool secure() const override { return false; }

 private:
  class Body : public std::streambuf {
   public:
    explicit Body(Wire& wire) : wire_(wire) {}
    void Begin(Poco::Int64 length);
    Poco::Int64 End();

   protected:
    int_type underflow() override;

   private:
    void ConsumeGetArea();
    Wire& wire_;
    Poco::Int64 remaining_ = 0;
  };

  ServerResponse& response_;
  const Poco::Net::HTTPServerParams& params_;
  Poco::Net::SocketAddress client_;
  Poco::Net::SocketAddress server_;
  Body body_;
  std::istream stream_;
};

}  // namespace onboard::http::wire
