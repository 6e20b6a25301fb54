#include <Poco/String.h>

#include "e2e_helpers.hpp"

namespace onboard::testsupport {
namespace {

struct SmallBodyConfig {
  static std::map<std::string, std::string> Env() {
    return {{"ONBOARD_HTTP_MAX_BODY_BYTES", "1024"}};
  }
};
using ErrorsApi = ApiSuite<SmallBodyConfig>;

OrgnoSequence errors_orgnos(93000000);

std::string Authorization() {
  return "Authorization: Bearer " + ErrorsApi::env_->op.secret + "\r\n";
}

TEST_F(ErrorsApi, MalformedJsonIs400MalformedJson) {
  for (const char* body : {"{", "{\"orgno\":}", "not json", "{\"a\":1,}", ""}) {
    const HttpResponse r = env().Op("POST", "/v1/organisations", std::string(body));
    ExpectProblem(r, 400, "malformed_json");
  }
}

TEST_F(ErrorsApi, AJsonValueOtherThanAnObjectIs400MalformedJson) {
  for (const char* body : {"[]", "\"text\"", "42", "null"}) {
    ExpectProblem(env().Op("POST", "/v1/organisations", std::string(body)), 400, "malformed_json");
  }
}

TEST_F(ErrorsApi, InvalidUtf8Is400MalformedJson) {
  for (const std::string& bad :
       {std::string("\xff"), std::string("\xc3\x28"), std::string("\xed\xa0\x80"),
        std::string("\xc0\xaf"), std::string("\xe2\x82")}) {
    const HttpResponse r =
        env().Op("POST", "/v1/organisations",
                 "{\"orgno\":\"" + errors_orgnos.Next() + "\",\"name\":\"" + bad + "\"}");
    ExpectProblem(r, 400, "malformed_json");
  }
}

TEST_F(ErrorsApi, WrongTypesAreReportedPerField) {
  const HttpResponse r = env().Op("POST", "/v1/organisations",
                                  std::string(R"({"orgno":974760673,"name":["x"],"contacts":{}})"));
  ExpectProblem(r, 400, "validation_failed");
  const auto paths = ErrorPaths(r);
  for (const char* field : {"orgno", "name", "contacts"}) {
    EXPECT_NE(std::find(paths.begin(), paths.end(), field), paths.end())
        << field << " in " << r.body;
  }
  const HttpResponse nested = env().Op(
      "POST", "/v1/organisations",
      "{\"orgno\":\"" + errors_orgnos.Next() +
          R"(","name":"N","contacts":[{"name":1,"email":"a@b.no","role":"technical"},7]})");
  ExpectProblem(nested, 400, "validation_failed");
  const auto nested_paths = ErrorPaths(nested);
  for (const char* field : {"contacts/0/name", "contacts/1"}) {
    EXPECT_NE(std::find(nested_paths.begin(), nested_paths.end(), field), nested_paths.end())
        << field << " in " << nested.body;
  }
}

TEST_F(ErrorsApi, UnknownFieldsAreReportedPerField) {
  const HttpResponse r = env().Op(
      "POST", "/v1/organisations",
      "{\"orgno\":\"" + errors_orgnos.Next() +
          R"(","name":"N","nmae":"typo","contacts":[{"name":"K","email":"k@example.no","role":"technical","fax":"1"}]})");
  ExpectProblem(r, 400, "validation_failed");
  EXPECT_EQ(ErrorPaths(r), (std::vector<std::string>{"contacts/0/fax", "nmae"})) << r.body;
  for (const auto& e : *r.json->getArray("errors")) {
    EXPECT_EQ(e.extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("code"), "unknown_field");
  }
}

TEST_F(ErrorsApi, ABodyOverTheCapIs413) {
  const std::string big =
      "{\"orgno\":\"" + errors_orgnos.Next() + "\",\"name\":\"" + std::string(2000, 'x') + "\"}";
  const int64_t before = env().db->AuditCount();
  ExpectProblem(env().Op("POST", "/v1/organisations", big), 413, "payload_too_large");
  EXPECT_EQ(env().db->AuditCount(), before);
  // Just under the cap is read and handled normally.
  const std::string fits =
      "{\"orgno\":\"" + errors_orgnos.Next() + "\",\"name\":\"Fits\"" + std::string(950, ' ') + "}";
  ASSERT_LE(fits.size(), 1024u);
  EXPECT_EQ(env().Op("POST", "/v1/organisations", fits).status, 201);
}

TEST_F(ErrorsApi, ALyingContentLengthOverTheCapIs413WithoutReadingTheBody) {
  const HttpResponse r =
      env().http->Raw("POST /v1/organisations HTTP/1.1\r\nHost: x\r\n" + Authorization() +
                      "Content-Type: application/json\r\nContent-Length: 104857600\r\n\r\n{}");
  ExpectProblem(r, 413, "payload_too_large");
  EXPECT_EQ(Poco::icompare(r.Header("Connection"), "close"), 0)
      << "the unread body must not be parsed as the next request: " << r.Header("Connection");
}

TEST_F(ErrorsApi, AWrongContentTypeIs415) {
  for (const char* type :
       {"text/plain", "application/x-www-form-urlencoded", "application/jsonx", ""}) {
    const HttpResponse r =
        env().http->Request("POST", "/v1/organisations", Bearer(env().op.secret),
                            "{\"orgno\":\"" + errors_orgnos.Next() + "\",\"name\":\"N\"}", type);
    ExpectProblem(r, 415, "unsupported_media_type");
  }
  // Parameters and case do not matter.
  EXPECT_EQ(env()
                .http
                ->Request("POST", "/v1/organisations", Bearer(env().op.secret),
                          "{\"orgno\":\"" + errors_orgnos.Next() + "\",\"name\":\"N\"}",
                          "Application/JSON; charset=utf-8")
                .status,
            201);
}

TEST_F(ErrorsApi, AMissingContentLengthIs411) {
  const HttpResponse r =
      env().http->Raw("POST /v1/organisations HTTP/1.1\r\nHost: x\r\n" + Authorization() +
                      "Content-Type: application/json\r\nConnection: close\r\n\r\n");
  ExpectProblem(r, 411, "length_required");
}

TEST_F(ErrorsApi, AChunkedBodyIs411) {
  const std::string body = "{\"orgno\":\"" + errors_orgnos.Next() + "\",\"name\":\"Chunked\"}";
  char size[16];
  std::snprintf(size, sizeof(size), "%zx", body.size());
  const HttpResponse r =
      env().http->Raw("POST /v1/organisations HTTP/1.1\r\nHost: x\r\n" + Authorization() +
                      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                      size + "\r\n" + body + "\r\n0\r\n\r\n");
  ExpectProblem(r, 411, "length_required");
}

TEST_F(ErrorsApi, AnOverlongRequestLineIs400) {
  const HttpResponse r = env().http->Raw(std::string(9000, 'A') + " / HTTP/1.1\r\n\r\n", 3s);
  EXPECT_EQ(r.status, 400) << r.Describe();
}

TEST_F(ErrorsApi, GarbageInsteadOfHttpDoesNotHurtTheService) {
  const std::string tls_hello("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http\r\n\r\n", 22);
  for (const std::string& garbage :
       {tls_hello, std::string("\r\n\r\n\r\n"), std::string("\0\0\0\0", 4),
        std::string("GET\r\n\r\n"), std::string(70000, 'x')}) {
    const HttpResponse r = env().http->Raw(garbage, 500ms);
    EXPECT_TRUE(r.status == 0 || r.status >= 400) << "garbage answered " << r.Describe();
  }
  EXPECT_EQ(env().http->Get("/healthz").status, 200);
  EXPECT_EQ(env().Op("GET", "/v1/organisations").status, 200);
}

TEST_F(ErrorsApi, AnUnknownRouteIs404ProblemJson) {
  for (const char* path : {"/nope", "/v1/organisations/x/y", "/v1/", "/v2/organisations"}) {
    const HttpResponse r = env().Op("GET", path);
    ExpectProblem(r, 404, "not_found");
    EXPECT_EQ(r.json->getValue<std::string>("instance"), path);
  }
}

TEST_F(ErrorsApi, AnUnknownRouteIs404EvenWithoutAToken) {
  ExpectProblem(env().http->Get("/nope"), 404, "not_found");
}

TEST_F(ErrorsApi, AWrongMethodIs405WithAllow) {
  const HttpResponse r = env().Op("DELETE", "/v1/organisations");
  ExpectProblem(r, 405, "method_not_allowed");
  std::string allow = r.Header("Allow");
  EXPECT_NE(allow.find("GET"), std::string::npos) << allow;
  EXPECT_NE(allow.find("POST"), std::string::npos) << allow;
  EXPECT_EQ(allow.find("DELETE"), std::string::npos) << allow;
  const HttpResponse put = env().Op("PUT", "/healthz", std::string("{}"));
  ExpectProblem(put, 405, "method_not_allowed");
  EXPECT_EQ(put.Header("Allow"), "GET");
}

TEST_F(ErrorsApi, TheInstanceIsThePathWithoutTheQuery) {
  const HttpResponse r = env().Op("GET", "/v1/organisations/" + errors_orgnos.Next() + "?secret=x");
  ExpectProblem(r, 404, "");
  EXPECT_EQ(r.json->getValue<std::string>("instance").find('?'), std::string::npos);
}

TEST_F(ErrorsApi, ARequestIdThatIsSaneIsEchoed) {
  const HttpResponse r = env().http->Get("/nope", {{"X-Request-Id", "abc-123_x.y:z"}});
  EXPECT_EQ(r.Header("X-Request-Id"), "abc-123_x.y:z");
  EXPECT_EQ(r.json->getValue<std::string>("request_id"), "abc-123_x.y:z");
  EXPECT_EQ(env().http->Get("/healthz", {{"X-Request-Id", "probe-1"}}).Header("X-Request-Id"),
            "probe-1");
}

TEST_F(ErrorsApi, ARequestIdIsGeneratedWhenMissingOrInsane) {
  for (const std::string& sent : {std::string(), std::string("has space"), std::string(129, 'a'),
                                  std::string("quote\"d"), std::string("new\\nline")}) {
    Headers h;
    if (!sent.empty()) h.push_back({"X-Request-Id", sent});
    const HttpResponse r = env().http->Get("/nope", h);
    const std::string id = r.Header("X-Request-Id");
    EXPECT_NE(id, sent);
    EXPECT_EQ(id.size(), 36u) << id;
    EXPECT_EQ(r.json->getValue<std::string>("request_id"), id);
  }
  EXPECT_NE(env().http->Get("/healthz").Header("X-Request-Id"),
            env().http->Get("/healthz").Header("X-Request-Id"));
}

TEST_F(ErrorsApi, EveryClientErrorOfTheFoundationIsAProblemWithoutInternals) {
  const std::string orgno = errors_orgnos.Next();
  env().CreateOrg(orgno, "Exists");
  const std::vector<HttpResponse> responses = {
      env().http->Get("/v1/organisations"),                          // 401
      env().Op("POST", "/v1/organisations", OrgBody(orgno, "Dup")),  // 409
      env().Op("PATCH", "/v1/organisations/" + orgno, std::string("{\"name\":\"x\"}"),
               {{"If-Match", "\"9\""}}),                                                  // 412
      env().Op("GET", "/v1/organisations/000000000"),                                     // 404
      env().Op("DELETE", "/v1/tokens/not-a-uuid"),                                        // 404
      env().Op("DELETE", "/v1/tokens/00000000-0000-4000-8000-000000000000"),              // 404
      env().Op("POST", "/v1/tokens", std::string("{\"name\":\"x\",\"role\":\"root\"}")),  // 400
      env().Op("GET", "/v1/organisations?cursor=Zg"),  // 400 or 200
  };
  for (const auto& r : responses) {
    if (r.status < 400) continue;
    ExpectProblem(r, r.status, "");
  }
}

}  // namespace
}  // namespace onboard::testsupport
