#pragma once

// The request bodies of the onboarding journey, as the e2e and reliability tests send them:
// organisation, test client, verification run, terms, onboarding case, production order.
// One place says what "a valid X" is, so a test names the body it sends and spells out only
// the members it is about. Header-only: every test binary that links onboard_test_support
// can use it. Each builder returns a fresh object the caller may still change.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <initializer_list>
#include <map>
#include <string>

namespace onboard::testsupport::journey {

/// The terms version every journey publishes and accepts.
inline constexpr const char* kTermsVersion = "2024-01";

/// A JSON array of strings.
inline Poco::JSON::Array::Ptr StringList(std::initializer_list<const char*> items) {
  Poco::JSON::Array::Ptr a = new Poco::JSON::Array();
  for (const char* s : items) a->add(std::string(s));
  return a;
}

/// POST /v1/organisations without contacts: `orgno` named "Etat <orgno>".
inline Poco::JSON::Object OrganisationBody(const std::string& orgno) {
  Poco::JSON::Object body;
  body.set("orgno", orgno);
  body.set("name", "Etat " + orgno);
  return body;
}

/// The redirect, post-logout and front-channel logout URIs of a client or order.
struct ClientUris {
  std::string redirect = "https://app.example.no/callback";
  std::string post_logout = "https://app.example.no/logout";
  std::string frontchannel_logout = "https://app.example.no/frontchannel-logout";
};

/// Sets the three URI members of `body` (each as POST /v1/clients and orders take them).
inline void SetUris(Poco::JSON::Object& body, const ClientUris& uris) {
  Poco::JSON::Array::Ptr redirect = new Poco::JSON::Array();
  redirect->add(uris.redirect);
  Poco::JSON::Array::Ptr post_logout = new Poco::JSON::Array();
  post_logout->add(uris.post_logout);
  body.set("redirect_uris", redirect);
  body.set("post_logout_redirect_uris", post_logout);
  body.set("frontchannel_logout_uri", uris.frontchannel_logout);
}

/// POST /v1/clients: an idporten web test client of `orgno` (scopes openid and profile)
/// whose URIs are production-grade https, so it can be ordered to production.
/// `auth_method` empty leaves token_endpoint_auth_method to the server's default.
inline Poco::JSON::Object OrderableClientBody(
    const std::string& orgno, const std::string& name = "Min side",
    const std::string& auth_method = "client_secret_basic", const ClientUris& uris = {}) {
  Poco::JSON::Object body;
  body.set("environment", "test");
  body.set("client_name", name);
  body.set("integration_type", "idporten");
  body.set("application_type", "web");
  body.set("client_orgno", orgno);
  if (!auth_method.empty()) body.set("token_endpoint_auth_method", auth_method);
  body.set("scopes", StringList({"openid", "profile"}));
  SetUris(body, uris);
  return body;
}

/// Every mandatory case of verification catalogue version 1, passed.
inline std::map<int, std::string> MandatoryCasesPassed() {
  return {{1, "passed"}, {3, "passed"}, {6, "passed"}, {7, "passed"}, {8, "passed"}};
}

/// POST /v1/clients/{id}/verification-runs: `outcomes` (case id -> outcome) tested by Kari
/// Nordmann at `tested_at`; case 1 carries its evidence.
inline Poco::JSON::Object VerificationRunBody(const std::map<int, std::string>& outcomes,
                                              const std::string& tested_at) {
  Poco::JSON::Object body;
  body.set("tester", "Kari Nordmann");
  body.set("tested_at", tested_at);
  Poco::JSON::Array results;
  for (const auto& [id, outcome] : outcomes) {
    Poco::JSON::Object result;
    result.set("case_id", id);
    result.set("outcome", outcome);
    if (id == 1) result.set("evidence", "acr=idporten-loa-substantial in the id_token");
    results.add(result);
  }
  body.set("results", results);
  return body;
}

/// A run in which every mandatory case passed, tested at `tested_at`.
inline Poco::JSON::Object PassedRunBody(const std::string& tested_at) {
  return VerificationRunBody(MandatoryCasesPassed(), tested_at);
}

/// POST /v1/terms: "Bruksvilkår" of `version`, published at
/// https://example.no/vilkar/<version>.
inline Poco::JSON::Object TermsBody(const std::string& version = kTermsVersion,
                                    const std::string& summary = "First version") {
  Poco::JSON::Object body;
  body.set("version", version);
  body.set("title", "Bruksvilkår");
  body.set("url", "https://example.no/vilkar/" + version);
  body.set("summary", summary);
  return body;
}

/// POST /v1/onboardings/{id}/terms-acceptance of `version`.
inline Poco::JSON::Object TermsAcceptanceBody(const std::string& version = kTermsVersion) {
  Poco::JSON::Object body;
  body.set("terms_version", version);
  return body;
}

/// An onboarding case's planning; complete as it stands (clear a member to leave it open).
struct Planning {
  std::string schedule = "Q3";
  std::string production_plan = "Pilot, then everyone";
  std::string service_description = "Self service for citizens";
  std::string expected_volume = "10 000 logins a day";
  std::string high_traffic_periods = "January";
  std::string support_impact = "About 20 calls a week";
  /// Every member the same text (the identity tests plan everything as "planned").
  static Planning AllSaying(const std::string& text) {
    return {text, text, text, text, text, text};
  }
  /// Every member under its own name (an empty one included: the plan is then open).
  Poco::JSON::Object Body() const {
    Poco::JSON::Object body;
    body.set("schedule", schedule);
    body.set("production_plan", production_plan);
    body.set("service_description", service_description);
    body.set("expected_volume", expected_volume);
    body.set("high_traffic_periods", high_traffic_periods);
    body.set("support_impact", support_impact);
    return body;
  }
};

/// A contact person of an onboarding case; an empty e-mail address or mobile number is
/// left out of the body.
struct Contact {
  std::string name = "Ola Nordmann";
  std::string email = "ola@example.no";
  std::string mobile = "+4791234567";
  std::string role = "technical";
  Poco::JSON::Object Body() const {
    Poco::JSON::Object body;
    body.set("name", name);
    if (!email.empty()) body.set("email", email);
    if (!mobile.empty()) body.set("mobile", mobile);
    body.set("role", role);
    return body;
  }
  /// The body as the one-element `contacts` array of a case.
  Poco::JSON::Array List() const {
    Poco::JSON::Array contacts;
    contacts.add(Body());
    return contacts;
  }
};

/// POST /v1/onboardings: a case of `orgno` for `service_name` with `planning` and one
/// contact.
inline Poco::JSON::Object OnboardingBody(const std::string& orgno, const std::string& service_name,
                                         const Planning& planning = {},
                                         const Contact& contact = {}) {
  Poco::JSON::Object body;
  body.set("organisation", orgno);
  body.set("service_name", service_name);
  body.set("planning", planning.Body());
  body.set("contacts", contact.List());
  return body;
}

/// POST /v1/onboardings/{id}/clients: links `client_id` to the case.
inline Poco::JSON::Object LinkClientBody(const std::string& client_id) {
  Poco::JSON::Object body;
  body.set("client_id", client_id);
  return body;
}

/// The `delivery` of an order: the secret's zip by e-mail to `email`, its password by SMS
/// to `mobile`.
inline Poco::JSON::Object SmsZipDelivery(const std::string& mobile = "+4791234567",
                                         const std::string& email = "ola@example.no") {
  Poco::JSON::Object delivery;
  delivery.set("method", "sms_zip");
  delivery.set("mobile", mobile);
  delivery.set("email", email);
  return delivery;
}

/// POST /v1/onboardings/{id}/production-orders: production for `test_client` with `uris`
/// and `delivery`.
inline Poco::JSON::Object ProductionOrderBody(const std::string& test_client,
                                              const Poco::JSON::Object& delivery = SmsZipDelivery(),
                                              const ClientUris& uris = {}) {
  Poco::JSON::Object body;
  body.set("test_client_id", test_client);
  SetUris(body, uris);
  body.set("delivery", delivery);
  return body;
}

}  // namespace onboard::testsupport::journey
