#include "client_fixtures.hpp"

#include <signal.h>
#include <unistd.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "spawn.hpp"

namespace onboard::testsupport {

namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::string SqlLiteral(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

CliResult RunProgram(const std::vector<std::string>& argv_in,
                     const std::vector<std::string>& env_in, std::chrono::milliseconds timeout) {
  if (argv_in.empty()) throw std::invalid_argument("RunProgram needs a program");
  const std::string dir = MakePrivateTempDir("run");
  SpawnOptions options;
  options.argv = argv_in;
  options.env = env_in;
  options.out_path = dir + "/out";
  options.err_path = dir + "/err";
  const pid_t pid = Spawn(options);
  const std::optional<int> code = WaitForExit(pid, timeout);
  if (!code) {
    ::kill(pid, SIGKILL);
    WaitForExit(pid, std::chrono::seconds(5));
    ADD_FAILURE() << argv_in[0] << " did not finish within " << timeout.count() << " ms";
  }
  CliResult result;
  result.exit_code = code.value_or(-1);
  result.out = ReadWholeFile(options.out_path);
  result.err = ReadWholeFile(options.err_path);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return result;
}

std::optional<std::string> FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string d; std::getline(dirs, d, ':');) {
    if (d.empty()) continue;
    const std::string candidate = d + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

std::string Json(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

Poco::JSON::Object::Ptr ParseObject(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::vector<std::string> StringArray(const Poco::JSON::Object::Ptr& object,
                                     const std::string& member) {
  std::vector<std::string> out;
  if (!object) return out;
  Poco::JSON::Array::Ptr array = object->getArray(member);
  if (!array) return out;
  for (std::size_t i = 0; i < array->size(); ++i)
    out.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
  return out;
}

Poco::JSON::Object::Ptr LoginClient(const std::string& orgno, const std::string& name) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object();
  body->set("environment", "test");
  body->set("integration_type", "idporten");
  body->set("client_orgno", orgno);
  body->set("client_name", name);
  Poco::JSON::Array::Ptr redirects = new Poco::JSON::Array();
  redirects->add("https://tjeneste.example/callback");
  body->set("redirect_uris", redirects);
  Poco::JSON::Array::Ptr logouts = new Poco::JSON::Array();
  logouts->add("https://tjeneste.example/logged-out");
  body->set("post_logout_redirect_uris", logouts);
  return body;
}

std::vector<std::pair<std::string, std::string>> FieldErrors(const HttpResponse& response) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!response.json) return out;
  Poco::JSON::Array::Ptr errors = response.json->getArray("errors");
  if (!errors) return out;
  for (std::size_t i = 0; i < errors->size(); ++i) {
    Poco::JSON::Object::Ptr e = errors->getObject(static_cast<unsigned>(i));
    if (e)
      out.emplace_back(e->optValue<std::string>("path", ""), e->optValue<std::string>("code", ""));
  }
  return out;
}

bool HasFieldError(const HttpResponse& response, const std::string& path, const std::string& code) {
  for (const auto& [p, c] : FieldErrors(response)) {
    if (p == path && c == code) return true;
  }
  return false;
}

ClientService::ClientService() {
  db_ = std::make_unique<TempDatabase>();
  operator_ = CreateToken(db_->url(), domain::Role::kOperator, "client-tests-operator");
  portal_ = CreateToken(db_->url(), domain::Role::kPortal, "client-tests-portal");
  api_ = std::make_unique<ApiProcess>(db_->url(), std::map<std::string, std::string>{
                                                      {"ONBOARD_SECRETS_PEPPER", kClientTestPepper},
                                                      {"ONBOARD_DATABASE_POOL_SIZE", "8"},
                                                  });
  http_ = std::make_unique<HttpClient>(api_->port());
}

ClientService::~ClientService() {
  http_.reset();
  api_.reset();
  db_.reset();
}

Headers ClientService::Operator(Headers more) const {
  return Bearer(operator_.secret, std::move(more));
}

Headers ClientService::Portal(const std::string& orgno, const std::string& user,
                              Headers more) const {
  more.insert(more.begin(), {{"X-Onboard-Org", orgno}, {"X-Onboard-User", user}});
  return Bearer(portal_.secret, std::move(more));
}

std::string ClientService::NewOrganisation() {
  const std::string orgno = ValidOrgno(next_org_++, 92000000);
  Poco::JSON::Object body;
  body.set("orgno", orgno);
  body.set("name", "Organisasjon " + orgno);
  const HttpResponse r = http_->Post("/v1/organisations", Json(body), Operator());
  if (r.status != 201) {
    ADD_FAILURE() << "cannot register organisation " << orgno << ": " << r.Describe();
    throw std::runtime_error("organisation not registered");
  }
  return orgno;
}

std::string ClientService::BoundPortalToken(const std::string& orgno, const std::string& name) {
  const std::string token_name = name.empty() ? "portal-bound-" + orgno : name;
  const CliResult r =
      RunCli({"token", "create", "--role", "portal", "--name", token_name, "--organisation", orgno},
             {{"ONBOARD_DATABASE_URL", db_->url()}});
  if (r.exit_code != 0) {
    ADD_FAILURE() << "onboard-api token create failed (" << r.exit_code << "): " << r.err;
    throw std::runtime_error("no bound portal token");
  }
  return Trim(r.out);
}

HttpResponse ClientService::CreateClient(const Poco::JSON::Object::Ptr& body,
                                         const Headers& headers) const {
  return http_->Post("/v1/clients", Json(*body), headers);
}

Poco::JSON::Object::Ptr ClientService::CreateClientAs(const std::string& orgno,
                                                      const std::string& name) {
  const HttpResponse r = CreateClient(LoginClient(orgno, name), Operator());
  if (r.status != 201 || !r.json) {
    ADD_FAILURE() << "cannot create a client for " << orgno << ": " << r.Describe();
    throw std::runtime_error("client not created");
  }
  return r.json;
}

std::vector<std::string> ClientService::AuditActions(const std::string& target_id) {
  auto conn = db_->Connect();
  db::Result r = conn->ExecSimple("SELECT action FROM audit_events WHERE target_id = " +
                                  SqlLiteral(target_id) + " ORDER BY seq");
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.Str(i, 0));
  return out;
}

}  // namespace onboard::testsupport
