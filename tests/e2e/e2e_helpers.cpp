#include "e2e_helpers.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>

#include "pool.hpp"

namespace onboard::testsupport {

std::unique_ptr<ApiEnv> ApiEnv::Start(const std::map<std::string, std::string>& env) {
  auto e = std::make_unique<ApiEnv>();
  e->db = std::make_unique<TempDatabase>();
  {
    db::Pool pool(e->db->url(), 1, 5000, 5);
    e->op = CreateToken(pool, domain::Role::kOperator, "e2e-operator");
    e->auditor = CreateToken(pool, domain::Role::kAuditor, "e2e-auditor");
    e->provider = CreateToken(pool, domain::Role::kProvider, "e2e-provider");
    e->portal = CreateToken(pool, domain::Role::kPortal, "e2e-portal");
  }
  e->api = std::make_unique<ApiProcess>(e->db->url(), env);
  e->http = std::make_unique<HttpClient>(e->api->port());
  return e;
}

HttpResponse ApiEnv::Op(const std::string& method, const std::string& path,
                        const std::optional<std::string>& body, Headers more) const {
  return http->Request(method, path, Bearer(op.secret, std::move(more)), body);
}

HttpResponse ApiEnv::Portal(const std::string& orgno, const std::string& method,
                            const std::string& path, const std::optional<std::string>& body,
                            Headers more) const {
  more.push_back({"X-Onboard-Org", orgno});
  more.push_back({"X-Onboard-User", "kari"});
  return http->Request(method, path, Bearer(portal.secret, std::move(more)), body);
}

void ApiEnv::CreateOrg(const std::string& orgno, const std::string& name) const {
  const HttpResponse r = Op("POST", "/v1/organisations", OrgBody(orgno, name));
  ASSERT_EQ(r.status, 201) << r.Describe();
}

void DatabaseBehindProxy::SetUp() {
  try {
    db_ = std::make_unique<TempDatabase>();
    op_ = CreateToken(db_->url(), domain::Role::kOperator, "proxy-operator");
    const auto [host, port] = HostPortOf(db_->url());
    proxy_ = std::make_unique<TcpProxy>(host, port);
    via_proxy_ = WithDatabase(db_->url(), db_->name(),
                              std::make_pair(std::string("127.0.0.1"), proxy_->port()));
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
}

RawSocket::RawSocket(int port, std::chrono::milliseconds read_timeout) {
  socket_.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)),
                  Poco::Timespan(5, 0));
  SetReadTimeout(read_timeout);
}

void RawSocket::Send(const std::string& bytes) {
  socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
}

void RawSocket::SetReadTimeout(std::chrono::milliseconds timeout) {
  socket_.setReceiveTimeout(
      Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(timeout.count()) * 1000));
}

std::string OrgBody(const std::string& orgno, const std::string& name) {
  return R"({"orgno":")" + orgno + R"(","name":")" + name +
         R"(","contacts":[{"name":"Kari Nordmann","email":"kari@example.no","mobile":"+4791234567","role":"technical"}]})";
}

std::string LeakIn(const std::string& text) {
  for (const char* needle : {"SQLSTATE", "INSERT ", "SELECT ", "UPDATE ", "DELETE FROM", "_pkey",
                             "_fkey", "_key\"", "constraint", "std::", "Poco::", "Exception",
                             "libpq", "postgresql://", "relation \"", "terminate called", ".cpp"}) {
    if (text.find(needle) != std::string::npos) return needle;
  }
  return {};
}

void ExpectProblem(const HttpResponse& r, int status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.Describe();
  EXPECT_EQ(r.content_type, "application/problem+json") << r.Describe();
  ASSERT_TRUE(r.json) << r.Describe();
  for (const char* member :
       {"type", "title", "status", "detail", "instance", "code", "request_id"}) {
    EXPECT_TRUE(r.json->has(member)) << "problem without " << member << ": " << r.body;
  }
  EXPECT_EQ(r.json->optValue<int>("status", 0), status) << r.body;
  if (!code.empty()) {
    EXPECT_EQ(r.json->optValue<std::string>("code", ""), code) << r.body;
  }
  EXPECT_FALSE(r.json->optValue<std::string>("title", "").empty());
  EXPECT_FALSE(r.json->optValue<std::string>("detail", "").empty());
  EXPECT_EQ(r.json->optValue<std::string>("type", "").rfind("https://", 0), 0u) << r.body;
  EXPECT_EQ(r.json->optValue<std::string>("request_id", ""), r.Header("X-Request-Id")) << r.body;
  EXPECT_EQ(LeakIn(r.body), "") << "the problem leaks internals: " << r.body;
}

std::vector<std::string> ErrorPaths(const HttpResponse& r) {
  std::vector<std::string> out;
  if (!r.json) return out;
  auto errors = r.json->getArray("errors");
  if (!errors) return out;
  for (std::size_t i = 0; i < errors->size(); ++i) {
    auto e = errors->getObject(static_cast<unsigned>(i));
    if (e) out.push_back(e->optValue<std::string>("path", ""));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace onboard::testsupport
