#include "problem.hpp"

#include <Poco/Net/HTTPResponse.h>

#include "json_text.hpp"
#include "wire.hpp"

namespace onboard::http {

std::string ProblemJson(const Problem& problem) {
  std::string out;
  out.reserve(256 + problem.detail.size());
  out += "{\"code\":";
  json::AppendString(out, problem.code);
  out += ",\"detail\":";
  json::AppendString(out, problem.detail);
  if (problem.errors != nullptr && !problem.errors->empty()) {
    out += ",\"errors\":[";
    bool first = true;
    for (const FieldError& e : *problem.errors) {
      out += first ? "{\"code\":" : ",{\"code\":";
      first = false;
      json::AppendString(out, e.code);
      out += ",\"message\":";
      json::AppendString(out, e.message);
      out += ",\"path\":";
      json::AppendString(out, e.path);
      out += '}';
    }
    out += ']';
  }
  out += ",\"instance\":";
  json::AppendString(out, problem.instance);
  out += ",\"request_id\":";
  json::AppendString(out, problem.request_id);
  out += ",\"status\":" + std::to_string(problem.status);
  out += ",\"title\":";
  json::AppendString(out, problem.title);
  out += ",\"type\":";
  std::string type = "https://onboard.example/problems/";
  type += problem.code;
  json::AppendString(out, type);
  out += '}';
  return out;
}

std::string ProblemResponse(const Problem& problem, int retry_after_s) {
  using Poco::Net::HTTPResponse;
  const std::string content = ProblemJson(problem);
  std::string out =
      "HTTP/1.1 " + std::to_string(problem.status) + " " +
      HTTPResponse::getReasonForStatus(static_cast<HTTPResponse::HTTPStatus>(problem.status)) +
      "\r\nConnection: close\r\nDate: " + wire::HttpDateNow() + "\r\nX-Request-Id: ";
  out += problem.request_id;
  out += "\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n";
  if (retry_after_s > 0) out += "Retry-After: " + std::to_string(retry_after_s) + "\r\n";
  out += "Content-Type: ";
  out += kProblemMediaType;
  out += "\r\nContent-Length: " + std::to_string(content.size()) + "\r\n\r\n";
  out += content;
  return out;
}

}  // namespace onboard::http
