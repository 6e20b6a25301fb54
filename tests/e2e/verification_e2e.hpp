#pragma once

// A running onboard-api on a throwaway database with an operator, an auditor and a
// provider token, plus the steps of the onboarding journey the verification, readiness
// and test-user tests build on. Each step asserts its own status, so a broken step names
// itself.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "e2e_journey.hpp"
#include "e2e_shared_suite.hpp"
#include "test_support.hpp"

namespace onboard::testsupport::verification {

inline std::string Json(const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

inline Poco::JSON::Array::Ptr Strings(std::initializer_list<const char*> values) {
  return journey::StringList(values);
}

/// The `code` member of a problem+json answer ("" when there is none).
inline std::string ProblemCode(const HttpResponse& r) {
  return r.json ? r.json->optValue<std::string>("code", "") : "";
}

/// Rows of audit_events with `action`.
inline int64_t AuditCount(const TempDatabase& db, const std::string& action) {
  return QueryInt(db.url(), "SELECT count(*) FROM audit_events WHERE action = '" + action + "'");
}

class Service {
 public:
  explicit Service(const std::map<std::string, std::string>& extra_env = {})
      : db_(std::make_unique<TempDatabase>()) {
    Start(extra_env);
    operator_ = CreateToken(db_->url(), domain::Role::kOperator, "operator-e2e");
    portal_ = CreateToken(db_->url(), domain::Role::kPortal, "portal-e2e");
    auditor_ = CreateToken(db_->url(), domain::Role::kAuditor, "auditor-e2e");
    provider_ = CreateToken(db_->url(), domain::Role::kProvider, "provider-e2e");
  }

  /// Restarts the service on the same database with other settings.
  void Restart(const std::map<std::string, std::string>& extra_env) {
    api_.reset();
    Start(extra_env);
  }

  const TempDatabase& db() const { return *db_; }
  const HttpClient& http() const { return *http_; }
  ApiProcess& api() { return *api_; }

  Headers Operator() const { return Bearer(operator_.secret); }
  Headers Auditor() const { return Bearer(auditor_.secret); }
  Headers Provider() const { return Bearer(provider_.secret); }
  /// A portal acting for `orgno`.
  Headers Portal(const std::string& orgno, const std::string& user = "kari@example.no") const {
    return Bearer(portal_.secret, {{"X-Onboard-Org", orgno}, {"X-Onboard-User", user}});
  }

  HttpResponse Post(const std::string& path, const Poco::JSON::Object& body,
                    const Headers& as) const {
    return http_->Post(path, Json(body), as);
  }

  void CreateOrganisation(const std::string& orgno) const {
    const HttpResponse r = Post("/v1/organisations", journey::OrganisationBody(orgno), Operator());
    ASSERT_EQ(r.status, 201) << r.Describe();
  }

  /// A test client of `orgno`; `overrides` replace members of a valid idporten web client
  /// whose URIs are production-grade https.
  std::string CreateTestClient(const std::string& orgno) const {
    return CreateTestClient(orgno, Poco::JSON::Object());
  }
  std::string CreateTestClient(const std::string& orgno,
                               const Poco::JSON::Object& overrides) const {
    Poco::JSON::Object body = journey::OrderableClientBody(orgno, "Min side", "");
    for (const auto& [k, v] : overrides) body.set(k, v);
    const HttpResponse r = Post("/v1/clients", body, Operator());
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.json ? r.json->getValue<std::string>("client_id") : std::string();
  }

  /// A test client of `orgno` that authenticates with client_secret_basic (so a secret can
  /// be issued to it).
  std::string CreateSecretBasicTestClient(const std::string& orgno) const {
    Poco::JSON::Object overrides;
    overrides.set("token_endpoint_auth_method", "client_secret_basic");
    return CreateTestClient(orgno, overrides);
  }

  /// The portal of `orgno` posts a verification run of `client_id` with `outcomes`,
  /// tested `days_ago` days ago (by the database clock).
  HttpResponse PostRun(const std::string& orgno, const std::string& client_id,
                       const std::map<int, std::string>& outcomes = MandatoryPassed(),
                       int days_ago = 1) const {
    return Post("/v1/clients/" + client_id + "/verification-runs",
                RunBody(outcomes, DaysAgo(days_ago)), Portal(orgno));
  }

  /// Inserts a production client directly (the API creates them only from an approved
  /// production order).
  std::string InsertProductionClient(const std::string& orgno) const {
    const std::string id = "7a1d2c3b-4e5f-4a6b-8c7d-" + orgno + "000";
    ExecSql(db_->url(),
            "INSERT INTO clients (client_id, environment, organisation, integration_type, "
            "client_name, state, metadata,"
            " registration_channel, created_by) VALUES ('" +
                id + "', 'production', '" + orgno +
                "', 'idporten', 'Min side', 'active', '{\"client_orgno\": \"" + orgno +
                "\", \"client_name\": \"Min side\", \"integration_type\": \"idporten\"}', "
                "'production_order', 'e2e')");
    return id;
  }

  /// An onboarding case of `orgno` with complete planning and a technical contact with
  /// e-mail and mobile, the client linked and terms accepted (when asked).
  std::string CreateCase(const std::string& orgno, const std::string& client_id,
                         bool accept_terms = true, bool complete_planning = true) const {
    journey::Planning planning;
    if (!complete_planning) planning.support_impact.clear();
    HttpResponse r = Post(
        "/v1/onboardings",
        journey::OnboardingBody(orgno, "Min side " + client_id.substr(0, 8), planning), Operator());
    EXPECT_EQ(r.status, 201) << r.Describe();
    if (!r.json) return {};
    const std::string id = r.json->getValue<std::string>("id");
    r = Post("/v1/onboardings/" + id + "/clients", journey::LinkClientBody(client_id), Operator());
    EXPECT_EQ(r.status, 200) << r.Describe();
    if (accept_terms) {
      PublishTermsOnce();
      r = Post("/v1/onboardings/" + id + "/terms-acceptance", journey::TermsAcceptanceBody(),
               Portal(orgno));
      EXPECT_EQ(r.status, 200) << r.Describe();
    }
    return id;
  }

  void PublishTermsOnce() const {
    if (http_->Get("/v1/terms/2024-01", Operator()).status == 200) return;
    const HttpResponse r = Post("/v1/terms", journey::TermsBody(), Operator());
    ASSERT_EQ(r.status, 201) << r.Describe();
  }

  /// A run body with `outcomes` (case id -> outcome), tested at `tested_at`.
  static Poco::JSON::Object RunBody(const std::map<int, std::string>& outcomes,
                                    const std::string& tested_at = "2024-05-01T10:00:00Z") {
    return journey::VerificationRunBody(outcomes, tested_at);
  }

  /// Every mandatory case of catalogue version 1 passed.
  static std::map<int, std::string> MandatoryPassed() { return journey::MandatoryCasesPassed(); }

  /// Now minus `days`, as RFC 3339 UTC, from the database clock.
  std::string DaysAgo(int days) const {
    return QueryScalar(db_->url(),
                       "SELECT rfc3339(now() - interval '" + std::to_string(days) + " days')")
        .value_or("");
  }

 private:
  void Start(const std::map<std::string, std::string>& extra_env) {
    std::map<std::string, std::string> env{
        {"ONBOARD_SECRETS_PEPPER", "e2e-pepper-0123456789abcdef0123456789abcdef"}};
    for (const auto& [k, v] : extra_env) env[k] = v;
    api_ = std::make_unique<ApiProcess>(db_->url(), env);
    http_ = std::make_unique<HttpClient>(api_->port());
  }

  std::unique_ptr<TempDatabase> db_;
  std::unique_ptr<ApiProcess> api_;
  std::unique_ptr<HttpClient> http_;
  TestToken operator_, portal_, auditor_, provider_;
};

/// Base of a suite whose tests share one Service: `Shared` is the suite's state, its member
/// `svc` the Service, made by `Suite::StartRig()` (see SharedRigSuite).
template <class Suite, class Shared>
class ServiceSuite : public SharedRigSuite<Suite, Shared> {
 protected:
  static Service& svc() { return *SharedRigSuite<Suite, Shared>::rig().svc; }
  static const HttpClient& http() { return svc().http(); }
  static const TempDatabase& db() { return svc().db(); }
};

}  // namespace onboard::testsupport::verification
