#pragma once

// Test data shared by the verification, readiness and test-user unit tests: catalogue
// version 1 as migration 0004 seeds it, runs built case by case, a client that meets the
// production rules and an onboarding case that has everything production needs.

#include <chrono>
#include <initializer_list>
#include <set>
#include <string>
#include <utility>

#include "client_metadata.hpp"
#include "metadata_fixtures.hpp"
#include "onboarding.hpp"
#include "verification.hpp"

namespace onboard::domain::testing {

/// Each error as "path:code", to compare without the messages.
inline std::set<std::string> ErrorCodes(const std::vector<FieldError>& errors) {
  std::set<std::string> out;
  for (const auto& e : errors) out.insert(e.path + ":" + e.code);
  return out;
}

inline VerificationCase Case(int id, std::string name, bool mandatory,
                             std::optional<ClientFeature> feature = std::nullopt) {
  VerificationCase c;
  c.id = id;
  c.name = std::move(name);
  c.title = "Test " + std::to_string(id);
  c.description = "What test " + std::to_string(id) + " checks.";
  c.mandatory = mandatory;
  c.feature = feature;
  return c;
}

/// The same rules as version 1 in migrations/0004_verification.sql.
inline VerificationCatalogue CatalogueV1() {
  VerificationCatalogue c;
  c.version = 1;
  c.cases = {
      Case(1, "sso_from_own_service_substantial", true),
      Case(2, "sso_from_own_service_high", false),
      Case(3, "sso_into_own_service_substantial", true),
      Case(4, "sso_into_own_service_high", false),
      Case(5, "security_level_upgrade", false),
      Case(6, "single_logout_from_own_service", true),
      Case(7, "single_logout_from_other_service", true, ClientFeature::kFrontchannelLogoutUri),
      Case(8, "logout_after_inactivity", true),
      Case(9, "forced_reauthentication", false, ClientFeature::kSsoDisabled),
      Case(10, "onbehalfof", false, ClientFeature::kOnBehalfOf),
      Case(11, "language_selection", false),
  };
  return c;
}

inline constexpr int kMandatoryV1[] = {1, 3, 6, 7, 8};

inline CaseResult Result(int case_id, CaseOutcome outcome, std::string evidence = {}) {
  CaseResult r;
  r.case_id = case_id;
  r.outcome = outcome;
  r.evidence = std::move(evidence);
  return r;
}

/// A run with the given results, tested at `tested_at`.
inline VerificationRun MakeRun(std::initializer_list<std::pair<int, CaseOutcome>> results,
                               std::string tested_at = "2024-05-01T10:00:00Z") {
  VerificationRun run;
  run.id = "3f0c7c1e-8a53-4a5e-9d89-0d6c2b7f1a10";
  run.client_id = "0b6a3c8e-2f4d-4e71-9c35-8a1d5e7b2c90";
  run.catalogue_version = 1;
  run.tester = "Kari Nordmann";
  run.tested_at = std::move(tested_at);
  for (const auto& [id, outcome] : results) run.results.push_back(Result(id, outcome));
  return run;
}

/// Every mandatory case of version 1 passed.
inline VerificationRun MandatoryPassed(std::string tested_at = "2024-05-01T10:00:00Z") {
  return MakeRun({{1, CaseOutcome::kPassed},
                  {3, CaseOutcome::kPassed},
                  {6, CaseOutcome::kPassed},
                  {7, CaseOutcome::kPassed},
                  {8, CaseOutcome::kPassed}},
                 std::move(tested_at));
}

inline std::chrono::sys_seconds At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

/// An idporten web client that meets the production rules and registers a front-channel
/// logout URI (test 7 needs one).
inline ClientMetadata ProductionReadyMetadata() {
  ClientMetadata m = WebClientMetadata();
  m.frontchannel_logout_uri = "https://app.example.no/frontchannel-logout";
  return m;
}

/// An open case with accepted terms, complete planning and a technical contact with
/// e-mail and mobile.
inline Onboarding CompleteCase() {
  Onboarding o;
  o.id = "5d2f8e4a-1b3c-4d6e-8f90-a1b2c3d4e5f6";
  o.organisation = "974760673";
  o.service_name = "Min side";
  o.planning = {"Q3",
                "Pilot, then everyone",
                "Self service for citizens",
                "10 000 logins a day",
                "January (tax season)",
                "About 20 calls a week"};
  o.contacts = {{"Ola Nordmann", "ola@example.no", "+4791234567", "technical"}};
  TermsAcceptance t;
  t.terms_version = "2024-01";
  t.accepted_at = "2024-04-01T08:00:00.000000Z";
  t.accepted_by = "portal-token";
  t.accepted_role = "portal";
  o.terms_acceptance = t;
  return o;
}

}  // namespace onboard::domain::testing
