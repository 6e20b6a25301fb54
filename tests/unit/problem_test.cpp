// The one problem+json renderer (services/api/server/problem.hpp), built and linked with
// onboard_http_server alone: the server's target stands without the handlers.
#include "problem.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <sstream>

namespace onboard::http {
namespace {

// What error_writer.cpp and the server's early answers rendered before there was one
// renderer: a Poco object (members sorted by name) stringified.
std::string AsPocoRenderedIt(const Problem& p) {
  Poco::JSON::Object body;
  body.set("type", "https://onboard.example/problems/" + std::string(p.code));
  body.set("title", std::string(p.title));
  body.set("status", p.status);
  body.set("detail", std::string(p.detail));
  body.set("instance", std::string(p.instance));
  body.set("code", std::string(p.code));
  body.set("request_id", std::string(p.request_id));
  if (p.errors != nullptr && !p.errors->empty()) {
    Poco::JSON::Array errors;
    for (const auto& fe : *p.errors) {
      Poco::JSON::Object e;
      e.set("path", fe.path);
      e.set("code", fe.code);
      e.set("message", fe.message);
      errors.add(e);
    }
    body.set("errors", errors);
  }
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

TEST(ProblemJson, WritesTheSameBytesAsThePocoObjectsItReplaced) {
  const std::vector<FieldError> errors = {{"redirect_uris/0", "invalid_uri", "not \"https\""},
                                          {"client_name", "required", "tab\there, ø"}};
  Problem p;
  p.status = 400;
  p.code = "validation_failed";
  p.title = "Bad Request";
  p.detail = "the client metadata is not valid: \\ / \x01";
  p.instance = "/v1/clients";
  p.request_id = "0b1e0d52-1a7c-4f0e-9a43-8d1b6b3c2a10";
  EXPECT_EQ(ProblemJson(p), AsPocoRenderedIt(p));
  p.errors = &errors;
  EXPECT_EQ(ProblemJson(p), AsPocoRenderedIt(p));
}

TEST(ProblemResponse, IsACompleteClosingResponseWithRetryAfterWhenAsked) {
  Problem p;
  p.status = 503;
  p.code = "overloaded";
  p.title = "Service Unavailable";
  p.detail = "busy";
  p.request_id = "id-1";
  const std::string r = ProblemResponse(p, 1);
  EXPECT_EQ(r.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0), 0u) << r;
  EXPECT_NE(r.find("\r\nConnection: close\r\n"), std::string::npos);
  EXPECT_NE(r.find("\r\nRetry-After: 1\r\n"), std::string::npos);
  EXPECT_NE(r.find("\r\nX-Request-Id: id-1\r\n"), std::string::npos);
  EXPECT_NE(r.find("\r\nContent-Type: application/problem+json\r\n"), std::string::npos);
  const std::string body = ProblemJson(p);
  EXPECT_EQ(r.substr(r.size() - body.size()), body);
  EXPECT_NE(r.find("Content-Length: " + std::to_string(body.size()) + "\r\n\r\n"),
            std::string::npos);
  EXPECT_EQ(ProblemResponse(p, 0).find("Retry-After"), std::string::npos);
}

}  // namespace
}  // namespace onboard::http
