#pragma once

// Fixtures for the client and registration tests: one database and one onboard-api
// process shared by a whole suite, client bodies, problem+json field errors, audit look-ups
// and a runner for programs other than onboard-api (node).

#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "test_support.hpp"

namespace onboard::testsupport {

/// The secrets pepper every client-test service runs with (>= 32 characters).
inline constexpr const char* kClientTestPepper = "client-tests-pepper-0123456789abcdefghijklmnop";

/// Runs `argv` (argv[0] an absolute path) to completion with exactly `env` as its
/// environment; stdout and stderr are captured. Fails the test on a timeout (the program is
/// then killed).
CliResult RunProgram(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                     std::chrono::milliseconds timeout = 60s);

/// Absolute path of `name` found on PATH, or nullopt.
std::optional<std::string> FindOnPath(const std::string& name);

/// `text` as a single-quoted SQL string literal (standard_conforming_strings on).
std::string SqlLiteral(const std::string& text);

/// JSON text of an object (compact).
std::string Json(const Poco::JSON::Object& object);
inline std::string Json(const Poco::JSON::Object::Ptr& object) { return Json(*object); }

/// Parses a JSON object; throws Poco::Exception when `text` is not one.
Poco::JSON::Object::Ptr ParseObject(const std::string& text);

/// Elements of a JSON string array member (empty when absent).
std::vector<std::string> StringArray(const Poco::JSON::Object::Ptr& object,
                                     const std::string& member);

/// A valid test login client (idporten, web, https redirect and post-logout URIs) for
/// `orgno`, in the shape POST /v1/clients takes.
Poco::JSON::Object::Ptr LoginClient(const std::string& orgno, const std::string& name = "Tjeneste");

/// The per-field errors of a problem+json answer as (path, code) pairs.
std::vector<std::pair<std::string, std::string>> FieldErrors(const HttpResponse& response);
/// True when the answer lists `code` at `path`.
bool HasFieldError(const HttpResponse& response, const std::string& path, const std::string& code);

/// One migrated database and one onboard-api process (with kClientTestPepper), an operator
/// token and an unbound portal token. Meant to be shared by all tests of a suite: each test
/// registers its own organisations (NewOrganisation) so tests do not see each other's clients.
/// Throws (after ADD_FAILURE) when the database or the process cannot be had.
class ClientService {
 public:
  ClientService();
  ~ClientService();
  ClientService(const ClientService&) = delete;
  ClientService& operator=(const ClientService&) = delete;

  TempDatabase& db() { return *db_; }
  ApiProcess& api() { return *api_; }
  const HttpClient& http() const { return *http_; }
  const TestToken& operator_token() const { return operator_; }
  const TestToken& portal_token() const { return portal_; }

  /// Authorization for the operator token, plus `more`.
  Headers Operator(Headers more = {}) const;
  /// Authorization for the unbound portal token acting for `orgno` as `user`, plus `more`.
  Headers Portal(const std::string& orgno, const std::string& user = "kari.nordmann",
                 Headers more = {}) const;

  /// Registers a new organisation through POST /v1/organisations and returns its number.
  std::string NewOrganisation();
  /// A portal token bound to `orgno`, created with `onboard-api token create --organisation`.
  std::string BoundPortalToken(const std::string& orgno, const std::string& name = "");

  /// POST /v1/clients.
  HttpResponse CreateClient(const Poco::JSON::Object::Ptr& body, const Headers& headers) const;
  /// Creates a login client for `orgno` as the operator; returns its representation
  /// (fails the test unless the answer is 201).
  Poco::JSON::Object::Ptr CreateClientAs(const std::string& orgno,
                                         const std::string& name = "Tjeneste");

  /// Actions of the audit events whose target is `target_id`, in chain order.
  std::vector<std::string> AuditActions(const std::string& target_id);
  int64_t AuditCount() { return db_->AuditCount(); }

 private:
  std::unique_ptr<TempDatabase> db_;
  std::unique_ptr<ApiProcess> api_;
  std::unique_ptr<HttpClient> http_;
  TestToken operator_;
  TestToken portal_;
  int next_org_ = 0;
};

/// Base of a suite whose tests share one ClientService (started once per suite, since
/// every suite runs as one ctest): `class Clients : public ClientSuite<Clients> {};`.
template <class Suite>
class ClientSuite : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    try {
      service_ = std::make_unique<ClientService>();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "the client test service did not start: " << e.what();
      service_.reset();
    }
  }
  static void TearDownTestSuite() { service_.reset(); }

 protected:
  void SetUp() override {
    ASSERT_TRUE(service_) << "no database or onboard-api for this suite (see above)";
  }
  static ClientService& svc() { return *service_; }

 private:
  inline static std::unique_ptr<ClientService> service_;
};

}  // namespace onboard::testsupport
