#include "wire.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Exception.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>
#include <openssl/crypto.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>

#include "crypto.hpp"

namespace onboard::http::wire {

namespace {

// Poco::Ascii::isSpace, which Poco's parser used between the parts of the request line.
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}
bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// The first three whitespace-separated parts of a request line (what follows is ignored,
// as Poco ignored it); a part may be empty when the line has fewer.
struct RequestLineParts {
  std::string_view method, uri, version;
};
RequestLineParts SplitRequestLine(std::string_view line) {
  std::string_view parts[3];
  std::size_t i = 0;
  for (auto& part : parts) {
    while (i < line.size() && IsSpace(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !IsSpace(line[i])) ++i;
    part = line.substr(start, i - start);
  }
  return {parts[0], parts[1], parts[2]};
}

}  // namespace

void HeadParser::Reset() {
  stage_ = Stage::kStart;
  pos_ = 0;
  head_size_ = 0;
  fields_ = 0;
  pending_ = false;
  pending_name_.clear();
  pending_value_.clear();
  error_ = "";
}

HeadStatus HeadParser::Fail(const char* why) {
  error_ = why;
  return HeadStatus::kMalformed;
}

HeadStatus HeadParser::Parse(std::string_view data, Poco::Net::HTTPRequest& into) {
  if (stage_ == Stage::kDone) return HeadStatus::kComplete;
  if (stage_ == Stage::kStart) {
    // Blank lines (and any whitespace) before the request line are skipped.
    while (pos_ < data.size() && IsSpace(data[pos_])) ++pos_;
    if (pos_ == data.size()) {
      return data.size() > limits_.head ? Fail("the request head is too large")
                                        : HeadStatus::kIncomplete;
    }
    stage_ = Stage::kRequestLine;
  }
  while (true) {
    const void* found = std::memchr(data.data() + pos_, '\n', data.size() - pos_);
    if (found == nullptr) {
      if (const char* why = PartialLineFails(data.substr(pos_))) return Fail(why);
      if (data.size() > limits_.head) return Fail("the request head is too large");
      return HeadStatus::kIncomplete;
    }
    const std::size_t nl = static_cast<std::size_t>(static_cast<const char*>(found) - data.data());
    std::string_view line = data.substr(pos_, nl - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos_ = nl + 1;
    if (pos_ > limits_.head) return Fail("the request head is too large");
    if (line.find('\r') != std::string_view::npos) return Fail("a bare CR in the request head");
    if (stage_ == Stage::kRequestLine) {
      if (!RequestLine(line, into)) return HeadStatus::kMalformed;
      stage_ = Stage::kFields;
      continue;
    }
    if (line.empty()) {
      Commit(into);
      stage_ = Stage::kDone;
      head_size_ = pos_;
      return HeadStatus::kComplete;
    }
    if (pending_ && IsBlank(line.front())) {
      // Obsolete line folding: the line continues the previous field's value.
      if (pending_value_.size() + line.size() > limits_.field_value)
        return Fail("a header field value is too long");
      pending_value_.append(line);
      continue;
    }
    Commit(into);
    if (fields_ >= limits_.fields) return Fail("too many header fields");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      if (line.size() >= limits_.field_name)
        return Fail("a header field name is too long or has no colon");
      continue;  // a line without a colon is ignored, as Poco ignored it
    }
    if (colon > limits_.field_name) return Fail("a header field name is too long");
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && IsSpace(value.front())) value.remove_prefix(1);
    if (value.size() > limits_.field_value) return Fail("a header field value is too long");
    pending_name_.assign(line.substr(0, colon));
    pending_value_.assign(value);
    pending_ = true;
  }
}

bool HeadParser::RequestLine(std::string_view line, Poco::Net::HTTPRequest& into) {
  const RequestLineParts parts = SplitRequestLine(line);
  if (parts.method.empty() || parts.uri.empty() || parts.version.empty()) {
    Fail("the request line does not have a method, a target and a version");
    return false;
  }
  if (parts.method.size() > limits_.method) return Fail("the request method is too long"), false;
  if (parts.uri.size() > limits_.uri) return Fail("the request target is too long"), false;
  if (parts.version.size() > limits_.version) return Fail("the HTTP version is too long"), false;
  into.setMethod(std::string(parts.method));
  into.setURI(std::string(parts.uri));
  into.setVersion(std::string(parts.version));
  return true;
}

const char* HeadParser::PartialLineFails(std::string_view partial) const {
  if (partial.empty()) return nullptr;
  if (stage_ == Stage::kRequestLine) {
    const RequestLineParts parts = SplitRequestLine(partial);
    if (parts.method.size() > limits_.method) return "the request method is too long";
    if (parts.uri.size() > limits_.uri) return "the request target is too long";
    if (parts.version.size() > limits_.version) return "the HTTP version is too long";
    return nullptr;
  }
  // +1: a CR of the line's end may already be here.
  if (pending_ && IsBlank(partial.front())) {
    return pending_value_.size() + partial.size() > limits_.field_value + 1
               ? "a header field value is too long"
               : nullptr;
  }
  if (partial == "\r") return nullptr;
  if (fields_ + (pending_ ? 1 : 0) >= limits_.fields) return "too many header fields";
  const std::size_t colon = partial.find(':');
  if (colon == std::string_view::npos) {
    return partial.size() > limits_.field_name ? "a header field name is too long or has no colon"
                                               : nullptr;
  }
  if (colon > limits_.field_name) return "a header field name is too long";
  std::string_view value = partial.substr(colon + 1);
  while (!value.empty() && IsSpace(value.front())) value.remove_prefix(1);
  return value.size() > limits_.field_value + 1 ? "a header field value is too long" : nullptr;
}

void HeadParser::Commit(Poco::Net::HTTPRequest& into) {
  if (!pending_) return;
  pending_ = false;
  Poco::trimRightInPlace(pending_value_);
  // RFC 2047 encoded words, as Poco's MessageHeader::read decoded them.
  if (pending_value_.find("=?") != std::string::npos)
    pending_value_ = Poco::Net::MessageHeader::decodeWord(pending_value_);
  into.add(pending_name_, pending_value_);
  ++fields_;
}

const std::string& HttpDateNow() {
  thread_local std::time_t second = 0;
  thread_local std::string text;
  const std::time_t now = std::time(nullptr);
  if (now != second || text.empty()) {
    text = Poco::DateTimeFormatter::format(Poco::Timestamp::fromEpochTime(now),
                                           Poco::DateTimeFormat::HTTP_FORMAT);
    second = now;
  }
  return text;
}

Wire::Wire(int fd, std::size_t initial_capacity)
    : fd_(fd), initial_(initial_capacity), buffer_(initial_capacity, '\0') {}

Wire::~Wire() { crypto::Cleanse(buffer_); }

void Wire::Consume(std::size_t n) noexcept {
  begin_ = std::min(begin_ + n, end_);
  if (begin_ == end_) begin_ = end_ = 0;
}

Wire::Received Wire::Receive(std::size_t limit) {
  if (end_ == buffer_.size()) {
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    } else if (buffer_.size() >= limit) {
      return Received::kFull;
    } else {
      // Grown by hand: a reallocating resize would free the old block unwiped.
      std::string grown(std::min(limit, buffer_.size() * 2), '\0');
      std::memcpy(grown.data(), buffer_.data(), end_);
      crypto::Cleanse(buffer_);
      buffer_.swap(grown);
    }
  }
  while (true) {
    const ssize_t n = ::recv(fd_, buffer_.data() + end_, buffer_.size() - end_, 0);
    if (n > 0) {
      end_ += static_cast<std::size_t>(n);
      dirty_ = std::max(dirty_, end_);
      return Received::kData;
    }
    if (n == 0) return Received::kEnd;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Received::kWait;
    if (errno != EINTR) return Received::kError;
  }
}

bool Wire::Send(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      return false;
    }
  }
  return true;
}

void Wire::Shrink() {
  if (begin_ != end_ || buffer_.size() <= initial_) return;
  crypto::Cleanse(buffer_);
  buffer_ = std::string(initial_, '\0');
  begin_ = end_ = dirty_ = 0;
}

void Wire::Attach(int fd) {
  Shrink();
  if (dirty_ > 0) OPENSSL_cleanse(buffer_.data(), std::min(dirty_, buffer_.size()));
  begin_ = end_ = dirty_ = 0;
  fd_ = fd;
}

ServerResponse::ServerResponse(Wire& wire) : wire_(wire), body_(*this), stream_(&body_) {
  // Reserved so that a usual response never reallocates (a freed block would keep what it
  // held: a response may carry a client secret).
  out_.reserve(16 * 1024);
}

ServerResponse::~ServerResponse() {
  Wipe(out_);
  Wipe(chunk_);
}

void ServerResponse::Wipe(std::string& buffer) {
  buffer.resize(buffer.capacity());
  crypto::Cleanse(buffer);
}

void ServerResponse::Reset(const std::string& version, bool head) {
  clear();
  setVersion(version);
  setStatusAndReason(HTTP_OK);
  // A large streamed answer does not keep its buffers for the rest of the connection.
  if (out_.capacity() > 4 * kFlushBytes) {
    Wipe(out_);
    std::string().swap(out_);
    out_.reserve(16 * 1024);
  }
  if (chunk_.capacity() > 4 * kFlushBytes) {
    Wipe(chunk_);
    std::string().swap(chunk_);
  }
  out_.clear();
  chunk_.clear();
  framing_ = Framing::kDiscard;
  remaining_ = 0;
  head_ = head;
  sent_ = false;
  broken_ = false;
  stream_.clear();
}

void ServerResponse::sendContinue() {
  if (!wire_.Send("HTTP/1.1 100 Continue\r\n\r\n")) broken_ = true;
}

std::ostream& ServerResponse::send() {
  if (sent_) return stream_;
  sent_ = true;
  const int status = static_cast<int>(getStatus());
  // As Poco's HTTPServerResponseImpl::send: no body for HEAD, 1xx, 204 and 304; chunked
  // when asked; else up to Content-Length; else until the connection closes.
  if (head_ || status < 200 || status == HTTP_NO_CONTENT || status == HTTP_NOT_MODIFIED) {
    framing_ = Framing::kDiscard;
  } else if (getChunkedTransferEncoding()) {
    framing_ = Framing::kChunked;
  } else if (hasContentLength()) {
    framing_ = Framing::kFixed;
    remaining_ = std::max<Poco::Int64>(0, getContentLength64());
  } else {
    setKeepAlive(false);
    framing_ = Framing::kUntilClose;
  }
  WriteHead();
  return stream_;
}

void ServerResponse::WriteHead() {
  out_.append(getVersion());
  char status[8] = {' '};
  const auto end =
      std::to_chars(status + 1, status + sizeof status - 1, static_cast<int>(getStatus())).ptr;
  *end = ' ';
  out_.append(status, static_cast<std::size_t>(end + 1 - status));
  out_.append(getReason());
  out_.append("\r\n");
  for (const auto& [name, value] : *this) {
    out_.append(name);
    out_.append(": ");
    out_.append(value);
    out_.append("\r\n");
  }
  out_.append("\r\n");
}

void ServerResponse::sendFile(const std::string& path, const std::string& media_type) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw Poco::OpenFileException(path);
  const std::string content((std::istreambuf_iterator<char>(file)),
                            std::istreambuf_iterator<char>());
  setContentType(media_type);
  sendBuffer(content.data(), content.size());
}

void ServerResponse::sendBuffer(const void* buffer, std::size_t length) {
  setContentLength64(static_cast<Poco::Int64>(length));
  setChunkedTransferEncoding(false);
  send().write(static_cast<const char*>(buffer), static_cast<std::streamsize>(length));
}

void ServerResponse::redirect(const std::string& uri, HTTPStatus status) {
  setContentLength(0);
  setChunkedTransferEncoding(false);
  setStatusAndReason(status);
  set("Location", uri);
  send();
}

void ServerResponse::requireAuthentication(const std::string& realm) {
  setContentLength(0);
  setChunkedTransferEncoding(false);
  setStatusAndReason(HTTP_UNAUTHORIZED);
  set("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
  send();
}

void ServerResponse::Append(const char* data, std::size_t n) {
  switch (framing_) {
    case Framing::kDiscard:
      return;
    case Framing::kFixed:
      n = static_cast<std::size_t>(std::min<Poco::Int64>(static_cast<Poco::Int64>(n), remaining_));
      remaining_ -= static_cast<Poco::Int64>(n);
      out_.append(data, n);
      break;
    case Framing::kChunked:
      chunk_.append(data, n);
      break;
    case Framing::kUntilClose:
      out_.append(data, n);
      break;
  }
  if (out_.size() + chunk_.size() >= kFlushBytes) Flush();
}

void ServerResponse::FrameChunk() {
  if (chunk_.empty()) return;
  char size[24];
  const auto end = std::to_chars(size, size + sizeof size, chunk_.size(), 16).ptr;
  out_.append(size, static_cast<std::size_t>(end - size));
  out_.append("\r\n");
  out_.append(chunk_);
  out_.append("\r\n");
  OPENSSL_cleanse(chunk_.data(), chunk_.size());
  chunk_.clear();
}

bool ServerResponse::Flush() {
  FrameChunk();
  if (!out_.empty()) {
    if (!broken_ && !wire_.Send(out_)) broken_ = true;
    // Sent bytes do not stay behind (the buffer moves on with its worker to other
    // connections, and a response may carry a secret).
    OPENSSL_cleanse(out_.data(), out_.size());
    out_.clear();
  }
  return !broken_;
}

bool ServerResponse::Finish() {
  if (!sent_) {
    if (!hasContentLength() && !getChunkedTransferEncoding()) setContentLength(0);
    send();
  }
  if (framing_ == Framing::kChunked) {
    FrameChunk();
    out_.append("0\r\n\r\n");
  }
  Flush();
  return !broken_ && framing_ != Framing::kUntilClose &&
         !(framing_ == Framing::kFixed && remaining_ > 0);
}

ServerResponse::Body::int_type ServerResponse::Body::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  const char ch = traits_type::to_char_type(c);
  response_.Append(&ch, 1);
  return response_.broken_ ? traits_type::eof() : c;
}

std::streamsize ServerResponse::Body::xsputn(const char* s, std::streamsize n) {
  if (response_.broken_) return 0;
  response_.Append(s, static_cast<std::size_t>(n));
  return response_.broken_ ? 0 : n;
}

int ServerResponse::Body::sync() { return response_.Flush() ? 0 : -1; }

ServerRequest::ServerRequest(Wire& wire, ServerResponse& response,
                             const Poco::Net::HTTPServerParams& params,
                             Poco::Net::SocketAddress client, Poco::Net::SocketAddress server)
    : response_(response),
      params_(params),
      client_(std::move(client)),
      server_(std::move(server)),
      body_(wire),
      stream_(&body_) {}

void ServerRequest::SetAddresses(Poco::Net::SocketAddress client, Poco::Net::SocketAddress server) {
  client_ = std::move(client);
  server_ = std::move(server);
}

void ServerRequest::Reset() {
  clear();
  body_.Begin(0);
  stream_.clear();
}

void ServerRequest::BeginBody(Poco::Int64 length) {
  body_.Begin(length);
  stream_.clear();
}

Poco::Int64 ServerRequest::EndBody() { return body_.End(); }

void ServerRequest::Body::Begin(Poco::Int64 length) {
  setg(nullptr, nullptr, nullptr);
  remaining_ = std::max<Poco::Int64>(0, length);
}

Poco::Int64 ServerRequest::Body::End() {
  ConsumeGetArea();
  const Poco::Int64 left = remaining_;
  remaining_ = 0;
  return left;
}

void ServerRequest::Body::ConsumeGetArea() {
  if (eback() == nullptr) return;
  const auto n = gptr() - eback();
  wire_.Consume(static_cast<std::size_t>(n));
  remaining_ -= n;
  setg(nullptr, nullptr, nullptr);
}

ServerRequest::Body::int_type ServerRequest::Body::underflow() {
  // The get area lies in the Wire's buffer: what was read of it is consumed before the
  // buffer may move.
  ConsumeGetArea();
  if (remaining_ <= 0) return traits_type::eof();
  while (wire_.Buffered().empty()) {
    // A slow body waits; the connection's deadline (the reaper) ends the wait.
    const Wire::Received got = wire_.Receive(0);
    if (got != Wire::Received::kData && got != Wire::Received::kWait) return traits_type::eof();
  }
  const std::string_view buffered = wire_.Buffered();
  const std::size_t n = static_cast<std::size_t>(
      std::min<Poco::Int64>(static_cast<Poco::Int64>(buffered.size()), remaining_));
  char* p = const_cast<char*>(buffered.data());
  setg(p, p, p + n);
  return traits_type::to_int_type(*p);
}

}  // namespace onboard::http::wire
