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

#include "test_support.hpp"

namespace onboard::testsupport::verification {

inline std::string Json(const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

inline Poco::JSON::Array::Ptr Strings(std::initializer_list<const char*> values) {
  Poco::JSON::Array::Ptr a = new Poco::JSON::Array();
  for (const char* v : values) a->add(std::string(v));
  return a;
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
    Poco::JSON::Object body;
    body.set("orgno", orgno);
    body.set("name", "Etat " + orgno);
    const HttpResponse r = Post("/v1/organisations", body, Operator());
    ASSERT_EQ(r.status, 201) << r.Describe();
  }

  /// A test client of `orgno`; `overrides` replace members of a valid idporten web client
  /// whose URIs are production-grade https.
  std::string CreateTestClient(const std::string& orgno) const {
    return CreateTestClient(orgno, Poco::JSON::Object());
  }
  std::string CreateTestClient(const std::string& orgno,
                               const Poco::JSON::Object& overrides) const {
    Poco::JSON::Object body;
    body.set("environment", "test");
    body.set("client_name", "Min side");
    body.set("integration_type", "idporten");
    body.set("application_type", "web");
    body.set("client_orgno", orgno);
    body.set("scopes", Strings({"openid", "profile"}));
    body.set("redirect_uris", Strings({"https://app.example.no/callback"}));
    body.set("post_logout_redirect_uris", Strings({"https://app.example.no/logout"}));
    body.set("frontchannel_logout_uri", "https://app.example.no/frontchannel-logout");
    for (const auto& [k, v] : overrides) body.set(k, v);
    const HttpResponse r = Post("/v1/clients", body, Operator());
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.json ? r.json->getValue<std::string>("client_id") : std::string();
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
    Poco::JSON::Object planning;
    planning.set("schedule", "Q3");
    planning.set("production_plan", "Pilot, then everyone");
    planning.set("service_description", "Self service for citizens");
    planning.set("expected_volume", "10 000 logins a day");
    planning.set("high_traffic_periods", "January");
    planning.set("support_impact", complete_planning ? "About 20 calls a week" : "");
    Poco::JSON::Object contact;
    contact.set("name", "Ola Nordmann");
    contact.set("email", "ola@example.no");
    contact.set("mobile", "+4791234567");
    contact.set("role", "technical");
    Poco::JSON::Array contacts;
    contacts.add(contact);
    Poco::JSON::Object body;
    body.set("organisation", orgno);
    body.set("service_name", "Min side " + client_id.substr(0, 8));
    body.set("planning", planning);
    body.set("contacts", contacts);
    HttpResponse r = Post("/v1/onboardings", body, Operator());
    EXPECT_EQ(r.status, 201) << r.Describe();
    if (!r.json) return {};
    const std::string id = r.json->getValue<std::string>("id");
    Poco::JSON::Object link;
    link.set("client_id", client_id);
    r = Post("/v1/onboardings/" + id + "/clients", link, Operator());
    EXPECT_EQ(r.status, 200) << r.Describe();
    if (accept_terms) {
      PublishTermsOnce();
      Poco::JSON::Object accept;
      accept.set("terms_version", "2024-01");
      r = Post("/v1/onboardings/" + id + "/terms-acceptance", accept, Portal(orgno));
      EXPECT_EQ(r.status, 200) << r.Describe();
    }
    return id;
  }

  void PublishTermsOnce() const {
    if (http_->Get("/v1/terms/2024-01", Operator()).status == 200) return;
    Poco::JSON::Object terms;
    terms.set("version", "2024-01");
    terms.set("title", "Bruksvilkår");
    terms.set("url", "https://example.no/vilkar/2024-01");
    terms.set("summary", "First version");
    const HttpResponse r = Post("/v1/terms", terms, Operator());
    ASSERT_EQ(r.status, 201) << r.Describe();
  }

  /// A run body with `outcomes` (case id -> outcome), tested at `tested_at`.
  static Poco::JSON::Object RunBody(const std::map<int, std::string>& outcomes,
                                    const std::string& tested_at = "2024-05-01T10:00:00Z") {
    Poco::JSON::Object body;
    body.set("tester", "Kari Nordmann");
    body.set("tested_at", tested_at);
    Poco::JSON::Array results;
    for (const auto& [id, outcome] : outcomes) {
      Poco::JSON::Object r;
      r.set("case_id", id);
      r.set("outcome", outcome);
      if (id == 1) r.set("evidence", "acr=idporten-loa-substantial in the id_token");
      results.add(r);
    }
    body.set("results", results);
    return body;
  }

  /// Every mandatory case of catalogue version 1 passed.
  static std::map<int, std::string> MandatoryPassed() {
    return {{1, "passed"}, {3, "passed"}, {6, "passed"}, {7, "passed"}, {8, "passed"}};
  }

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

}  // namespace onboard::testsupport::verification
