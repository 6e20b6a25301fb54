#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client.hpp"
#include "error.hpp"
#include "onboarding.hpp"
#include "production_order.hpp"
#include "scope_catalogue.hpp"
#include "verification.hpp"

namespace onboard::domain {

/// Everything the production-readiness checklist looks at, gathered by the caller (the
/// readiness endpoint, or a production order that is about to be submitted). Plain data.
struct ReadinessInput {
  std::string client_id;
  Environment environment = Environment::kTest;
  ClientState state = ClientState::kActive;
  /// The metadata checked against the production rules; its features (onbehalfof,
  /// frontchannel_logout_uri, sso_disabled) also decide which optional tests are required.
  /// The readiness endpoint passes the test client's metadata; an order may pass the
  /// metadata it proposes for production.
  ClientMetadata metadata;
  std::optional<Onboarding> onboarding;  ///< the case that links the test client, if any
  DeliveryMethod delivery = DeliveryMethod::kSmsZip;
  VerificationCatalogue catalogue;  ///< the current catalogue version
  std::optional<VerificationRun> latest_complete_run;
  std::chrono::system_clock::time_point now;
  int max_age_days = 90;  ///< config verification.max_age_days
};

/// How one catalogue case stands for the client.
struct CaseCheck {
  int id = 0;
  std::string name;
  std::string title;
  bool mandatory = false;
  /// Must pass: mandatory, required by a feature the client uses, or recorded as passed
  /// or failed in the deciding run (a tested optional feature must work).
  bool applicable = false;
  /// Why it is applicable or not: "mandatory", "feature:<name>", "recorded", "optional".
  std::string reason;
  std::optional<CaseOutcome> outcome;  ///< in the deciding run, if recorded there
  bool ok = false;
  std::string detail;
};

/// One line of the checklist.
struct ReadinessItem {
  std::string id;  ///< stable key, see the kReadiness* constants
  std::string title;
  bool ok = false;
  std::string detail;                        ///< what blocks, or what was found
  std::vector<std::string> missing;          ///< missing planning fields or contact details
  std::vector<FieldError> errors;            ///< production metadata problems
  std::vector<CaseCheck> cases;              ///< verification cases
  std::map<std::string, std::string> facts;  ///< extra values, e.g. run_id, terms_version
};

/// The checklist: `ready` when every item is ok.
struct Readiness {
  bool ready = false;
  std::vector<ReadinessItem> items;
};

inline constexpr const char* kReadinessTestClient = "test_client";
inline constexpr const char* kReadinessOnboardingCase = "onboarding_case";
inline constexpr const char* kReadinessTermsAccepted = "terms_accepted";
inline constexpr const char* kReadinessPlanningComplete = "planning_complete";
inline constexpr const char* kReadinessVerificationTests = "verification_tests";
inline constexpr const char* kReadinessProductionContacts = "production_contacts";
inline constexpr const char* kReadinessProductionMetadata = "production_metadata";

/// The production-readiness checklist, item by item in this order:
/// - test_client: an active client in the test environment.
/// - onboarding_case: an onboarding case links the client and is not withdrawn.
/// - terms_accepted: the case has accepted terms of use.
/// - planning_complete: every planning field of the case is filled (IsPlanningComplete).
/// - verification_tests: for clients that log users in (IsUserFacing), the latest
///   complete run is at most `max_age_days` old and, against the current catalogue, every
///   applicable case (see CaseCheck) passed in it; a mandatory case whose feature the
///   client lacks (test 7 without a frontchannel_logout_uri) blocks too. Machine clients
///   need no verification tests.
/// - production_contacts: the case has a technical contact with an e-mail address and,
///   unless `delivery` is kCertificate, a technical contact with a mobile number (the zip
///   password goes by SMS).
/// - production_metadata: ValidateClientMetadata(metadata, kProduction, scopes) finds
///   nothing.
/// Pure; thread-safe.
Readiness EvaluateReadiness(const ReadinessInput& input, const ScopeCatalogue& scopes);

}  // namespace onboard::domain
