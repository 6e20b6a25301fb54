#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/NumberParser.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <sstream>

#include "evidence.hpp"
#include "test_support.hpp"

namespace onboard::testsupport {

void ParseBody(HttpResponse& r) {
  r.content_type = r.headers.get("Content-Type", "");
  if (r.body.empty() || r.content_type.find("json") == std::string::npos) return;
  try {
    Poco::JSON::Parser parser;
    r.parsed = parser.parse(r.body);
    if (r.parsed.type() == typeid(Poco::JSON::Object::Ptr))
      r.json = r.parsed.extract<Poco::JSON::Object::Ptr>();
    evidence::RecordSecretsInJson(r.body);
  } catch (const Poco::Exception&) {
    // Not JSON after all: tests look at json == nullptr.
  }
}

std::string HttpResponse::Describe() const {
  std::string text =
      "HTTP " + std::to_string(status) + " " + content_type + "\n" + body.substr(0, 2000);
  return text;
}

HttpResponse HttpClient::Request(const std::string& method, const std::string& path,
                                 const Headers& headers, const std::optional<std::string>& body,
                                 const std::string& content_type) const {
  Poco::Net::HTTPClientSession session(host_, static_cast<Poco::UInt16>(port_));
  session.setTimeout(Poco::Timespan(20, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  bool has_type = false;
  for (const auto& [name, value] : headers) {
    request.add(name, value);
    if (Poco::icompare(name, "Content-Type") == 0) has_type = true;
  }
  if (body) {
    request.setContentLength64(static_cast<Poco::Int64>(body->size()));
    if (!has_type && !content_type.empty()) request.setContentType(content_type);
  }
  std::ostream& out = session.sendRequest(request);
  if (body) out.write(body->data(), static_cast<std::streamsize>(body->size()));
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpResponse r;
  r.status = static_cast<int>(response.getStatus());
  for (const auto& [name, value] : response) r.headers.add(name, value);
  Poco::StreamCopier::copyToString(in, r.body);
  ParseBody(r);
  return r;
}

HttpResponse HttpClient::Raw(const std::string& raw, std::chrono::milliseconds timeout) const {
  Poco::Net::StreamSocket socket;
  socket.connect(Poco::Net::SocketAddress(host_, static_cast<Poco::UInt16>(port_)),
                 Poco::Timespan(5, 0));
  socket.setReceiveTimeout(
      Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(timeout.count()) * 1000));
  socket.setSendTimeout(Poco::Timespan(10, 0));
  std::size_t sent = 0;
  while (sent < raw.size()) {
    const int n = socket.sendBytes(raw.data() + sent, static_cast<int>(raw.size() - sent));
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string data;
  char buf[4096];
  std::size_t header_end = std::string::npos;
  std::optional<std::size_t> content_length;
  HttpResponse r;
  while (true) {
    if (header_end == std::string::npos) {
      header_end = data.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        std::istringstream head(data.substr(0, header_end));
        std::string line;
        std::getline(head, line);
        // "HTTP/1.1 411 Length Required"
        const auto sp = line.find(' ');
        if (sp != std::string::npos) r.status = std::atoi(line.c_str() + sp + 1);
        while (std::getline(head, line)) {
          if (!line.empty() && line.back() == '\r') line.pop_back();
          const auto colon = line.find(':');
          if (colon == std::string::npos) continue;
          std::string value = line.substr(colon + 1);
          Poco::trimInPlace(value);
          r.headers.add(line.substr(0, colon), value);
        }
        if (r.headers.has("Content-Length")) {
          content_length = static_cast<std::size_t>(std::stoull(r.headers.get("Content-Length")));
        }
      }
    }
    if (header_end != std::string::npos && content_length &&
        data.size() >= header_end + 4 + *content_length)
      break;
    int n = 0;
    try {
      n = socket.receiveBytes(buf, sizeof(buf));
    } catch (const Poco::TimeoutException&) {
      break;
    } catch (const Poco::Net::NetException&) {
      break;  // reset by the server after it answered
    }
    if (n <= 0) break;
    data.append(buf, static_cast<std::size_t>(n));
  }
  if (header_end != std::string::npos) {
    r.body = data.substr(header_end + 4);
    if (content_length && r.body.size() > *content_length) r.body.resize(*content_length);
  } else {
    r.body = data;
  }
  ParseBody(r);
  return r;
}

Headers Bearer(const std::string& secret, Headers more) {
  more.insert(more.begin(), {"Authorization", "Bearer " + secret});
  return more;
}

}  // namespace onboard::testsupport
