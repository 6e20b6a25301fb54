#include <Poco/JSON/Parser.h>
#include <libpq-fe.h>

#include <regex>
#include <set>
#include <sstream>

#include "e2e_helpers.hpp"
#include "router.hpp"

namespace onboard::testsupport {
namespace {

using Observability = ApiSuite<DefaultConfig>;

OrgnoSequence observed_orgnos(94000000);

TEST_F(Observability, HealthzAnswersOk) {
  const HttpResponse r = env().http->Get("/healthz");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.json->getValue<std::string>("status"), "ok");
}

TEST_F(Observability, ReadyzAnswersReadyWithTheMigrationCount) {
  const HttpResponse r = env().http->Get("/readyz");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json->getValue<std::string>("status"), "ready");
  EXPECT_EQ(r.json->getValue<int>("migrations"),
            QueryInt(env().db->url(), "SELECT count(*) FROM schema_migrations"));
}

TEST_F(Observability, EveryResponseCarriesNoStoreAndNosniff) {
  for (const auto& r : {env().http->Get("/healthz"), env().http->Get("/nope"),
                        env().Op("GET", "/v1/organisations")}) {
    EXPECT_EQ(r.Header("Cache-Control"), "no-store");
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
  }
}

TEST_F(Observability, MetricsExposeRequestCountersByRouteHistogramsPoolGaugesAndBuildInfo) {
  const std::string orgno = observed_orgnos.Next();
  env().CreateOrg(orgno, "Metered");
  ASSERT_EQ(env().Op("GET", "/v1/organisations/" + orgno).status, 200);
  ASSERT_EQ(env().Op("GET", "/v1/organisations/" + observed_orgnos.Next()).status, 404);
  env().http->Get("/no-such-route-xyz");
  // The access is recorded after the response is sent: wait for the counters.
  HttpResponse r;
  const std::string get_200 =
      "onboard_http_requests_total{route=\"/v1/organisations/"
      "{orgno}\",method=\"GET\",status=\"200\"} ";
  ASSERT_TRUE(WaitUntil(
      [&] {
        r = env().http->Get("/metrics");
        return r.body.find(get_200) != std::string::npos &&
               r.body.find("status=\"404\"") != std::string::npos;
      },
      5s))
      << r.body;
  EXPECT_EQ(r.content_type.rfind("text/plain", 0), 0u) << r.content_type;
  const std::string& m = r.body;
  EXPECT_NE(m.find("# TYPE onboard_http_requests_total counter"), std::string::npos);
  EXPECT_NE(m.find("onboard_http_requests_total{route=\"/v1/"
                   "organisations\",method=\"POST\",status=\"201\"} "),
            std::string::npos);
  EXPECT_NE(m.find("onboard_http_requests_total{route=\"/v1/organisations/"
                   "{orgno}\",method=\"GET\",status=\"404\"} "),
            std::string::npos);
  EXPECT_NE(m.find("# TYPE onboard_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(
      m.find(
          "onboard_http_request_duration_seconds_bucket{route=\"/v1/organisations\",le=\"+Inf\"} "),
      std::string::npos);
  EXPECT_NE(
      m.find("onboard_http_request_duration_seconds_count{route=\"/v1/organisations/{orgno}\"} "),
      std::string::npos);
  EXPECT_NE(m.find("onboard_db_pool_connections{state=\"in_use\"} "), std::string::npos);
  EXPECT_NE(m.find("onboard_db_pool_connections{state=\"idle\"} "), std::string::npos);
  EXPECT_NE(m.find("onboard_db_pool_connections{state=\"max\"} 4\n"), std::string::npos);
  EXPECT_TRUE(std::regex_search(
      m, std::regex(R"(onboard_build_info\{version="[^"]+",revision="[^"]+"\} 1\n)")))
      << m;
  // Labels hold route templates, never concrete paths (bounded cardinality, no data in metrics).
  EXPECT_EQ(m.find(orgno), std::string::npos);
  EXPECT_EQ(m.find("no-such-route-xyz"), std::string::npos);
}

TEST_F(Observability, MetricsAreValidPrometheusTextFormat) {
  env().http->Get("/healthz");
  const HttpResponse r = env().http->Get("/metrics");
  ASSERT_EQ(r.status, 200);
  const std::regex sample(
      R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*")*\})? (-?[0-9.eE+-]+|\+Inf|NaN)$)");
  std::istringstream in(r.body);
  std::string line;
  int samples = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) continue;
    EXPECT_TRUE(std::regex_match(line, sample)) << line;
    ++samples;
  }
  EXPECT_GT(samples, 5);
}

std::set<std::string> DocumentedOperations(const Poco::JSON::Object::Ptr& doc) {
  std::set<std::string> out;
  auto paths = doc->getObject("paths");
  for (const auto& [path, item] : *paths) {
    auto ops = item.extract<Poco::JSON::Object::Ptr>();
    for (const auto& [method, op] : *ops) {
      static const std::set<std::string> kMethods = {"get",   "put",  "post",    "delete",
                                                     "patch", "head", "options", "trace"};
      if (!kMethods.count(method)) continue;
      std::string upper = method;
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.insert(upper + " " + path);
    }
  }
  return out;
}

TEST_F(Observability, OpenapiDocumentIsServedAsJson) {
  const HttpResponse r = env().http->Get("/openapi.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  ASSERT_TRUE(r.json) << r.body.substr(0, 200);
  EXPECT_EQ(r.json->getValue<std::string>("openapi").rfind("3.", 0), 0u);
  EXPECT_TRUE(r.json->getObject("info")->has("version"));
}

TEST_F(Observability, EveryRouteIsDocumentedInOpenapiAndEveryDocumentedOperationIsRouted) {
  const HttpResponse r = env().http->Get("/openapi.json");
  ASSERT_TRUE(r.json);
  const std::set<std::string> documented = DocumentedOperations(r.json);
  std::set<std::string> routed;
  for (const auto& route : http::ApiRoutes()) routed.insert(route.method + " " + route.path);
  for (const auto& op : routed)
    EXPECT_EQ(documented.count(op), 1u) << op << " is routed but not in openapi.json";
  for (const auto& op : documented)
    EXPECT_EQ(routed.count(op), 1u) << op << " is in openapi.json but not routed";
  // And the running service routes every documented operation (no 404 for the path).
  for (const auto& op : documented) {
    const auto space = op.find(' ');
    std::string method = op.substr(0, space), path = op.substr(space + 1);
    path = std::regex_replace(path, std::regex(R"(\{[^}]*orgno[^}]*\})"), observed_orgnos.Next());
    path = std::regex_replace(path, std::regex(R"(\{[^}]+\})"),
                              "00000000-0000-4000-8000-000000000000");
    const HttpResponse answer = env().http->Request(
        method, path, {},
        method == "GET" || method == "DELETE" ? std::nullopt : std::optional<std::string>("{}"));
    // Without a token a routed operation answers 401 (or 200 for the public ones); an
    // unrouted one 404 or 405.
    EXPECT_NE(answer.status, 404) << op << " is documented but the service does not route it";
    EXPECT_NE(answer.status, 405) << op << " is documented but the service has no such method";
  }
}

TEST_F(Observability, TheAccessLogHasOneJsonLinePerRequest) {
  struct Call {
    std::string id, method, route;
    int status;
  };
  const std::string orgno = observed_orgnos.Next();
  std::vector<Call> calls = {
      {"acc-health", "GET", "/healthz", 200},
      {"acc-create", "POST", "/v1/organisations", 201},
      {"acc-get", "GET", "/v1/organisations/{orgno}", 200},
      {"acc-missing", "GET", "(unmatched)", 404},
      {"acc-method", "DELETE", "(method not allowed)", 405},
      {"acc-unauth", "GET", "/v1/organisations", 401},
  };
  env().http->Get("/healthz", {{"X-Request-Id", "acc-health"}});
  env().Op("POST", "/v1/organisations", OrgBody(orgno, "Logged"), {{"X-Request-Id", "acc-create"}});
  env().Op("GET", "/v1/organisations/" + orgno, std::nullopt, {{"X-Request-Id", "acc-get"}});
  env().Op("GET", "/nothing/here", std::nullopt, {{"X-Request-Id", "acc-missing"}});
  env().Op("DELETE", "/v1/organisations", std::nullopt, {{"X-Request-Id", "acc-method"}});
  env().http->Get("/v1/organisations", {{"X-Request-Id", "acc-unauth"}});
  ASSERT_TRUE(WaitUntil(
      [&] {
        int found = 0;
        for (const auto& line : env().api->AccessLog()) {
          found += line->optValue<std::string>("request_id", "") == "acc-unauth" ? 1 : 0;
        }
        return found == 1;
      },
      5s));
  const auto lines = env().api->AccessLog();
  for (const auto& call : calls) {
    SCOPED_TRACE(call.id);
    std::vector<Poco::JSON::Object::Ptr> mine;
    for (const auto& line : lines) {
      if (line->optValue<std::string>("request_id", "") == call.id) mine.push_back(line);
    }
    ASSERT_EQ(mine.size(), 1u);
    const auto& l = mine[0];
    EXPECT_EQ(l->optValue<std::string>("method", ""), call.method);
    EXPECT_EQ(l->optValue<std::string>("route", ""), call.route);
    EXPECT_EQ(l->optValue<int>("status", 0), call.status);
    ASSERT_TRUE(l->has("latency_ms"));
    EXPECT_GE(l->getValue<double>("latency_ms"), 0.0);
    EXPECT_LT(l->getValue<double>("latency_ms"), 10000.0);
    EXPECT_TRUE(l->has("ts"));
    EXPECT_EQ(l->optValue<std::string>("level", ""), "info");
  }
  for (const auto& line : lines) {
    if (line->optValue<std::string>("request_id", "") == "acc-create") {
      EXPECT_EQ(line->optValue<std::string>("actor", ""), "e2e-operator");
      EXPECT_EQ(line->optValue<std::string>("role", ""), "operator");
    }
  }
}

TEST_F(Observability, EveryLineTheServiceWritesIsAJsonObject) {
  env().http->Get("/healthz", {{"X-Request-Id", "json-lines"}});
  ASSERT_TRUE(
      WaitUntil([&] { return env().api->log().find("json-lines") != std::string::npos; }, 5s));
  std::istringstream in(env().api->log());
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    ++n;
    Poco::JSON::Parser parser;
    bool object = false;
    try {
      object = parser.parse(line).type() == typeid(Poco::JSON::Object::Ptr);
    } catch (...) {
    }
    EXPECT_TRUE(object) << "not a JSON object line: " << line;
  }
  EXPECT_GT(n, 1);
}

TEST(Lifecycle, SigtermStopsTheServiceWithExitCodeZero) {
  TempDatabase db;
  ApiProcess api(db.url());
  HttpClient http(api.port());
  ASSERT_EQ(http.Get("/readyz").status, 200);
  const auto started = std::chrono::steady_clock::now();
  const auto code = api.Terminate(5s);
  ASSERT_TRUE(code) << "onboard-api did not exit within 5 s of SIGTERM";
  EXPECT_EQ(*code, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_NE(api.log().find("\"msg\":\"stopped\""), std::string::npos) << api.log();
  EXPECT_THROW(http.Get("/healthz"), Poco::Exception);
}

TEST(Lifecycle, RefusesABadConfigurationWithOneMessagePerKey) {
  const CliResult r =
      RunCli({"serve"}, {{"ONBOARD_HTTP_PORT", "http"}, {"ONBOARD_DATABASE_POOL_SIZE", "0"}});
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_NE(r.err.find("ONBOARD_HTTP_PORT"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ONBOARD_DATABASE_POOL_SIZE"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("database.url"), std::string::npos) << r.err;
}

// The service logs where its database is; never with the password.
TEST(Lifecycle, TheDatabasePasswordNeverReachesTheLog) {
  TempDatabase db;
  std::string url = db.url();
  std::string password;
  {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
    ASSERT_NE(opts, nullptr);
    for (auto* o = opts; o->keyword != nullptr; ++o) {
      if (std::string(o->keyword) == "password" && o->val != nullptr) password = o->val;
    }
    PQconninfoFree(opts);
  }
  if (password.empty()) {
    // A trust-auth server ignores a password: use a canary one to check the redaction.
    password = "canary-pw-7f3a9";
    const auto at = url.find('@');
    ASSERT_NE(at, std::string::npos) << url;
    url = url.substr(0, at) + ":" + password + url.substr(at);
  }
  ApiProcess api(url);
  HttpClient(api.port()).Get("/readyz");
  ASSERT_TRUE(api.Terminate(5s));
  const std::string log = api.log();
  EXPECT_NE(log.find("\"msg\":\"listening\""), std::string::npos);
  EXPECT_EQ(log.find(password), std::string::npos) << log;
}

}  // namespace
}  // namespace onboard::testsupport
