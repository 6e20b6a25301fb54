#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "caller.hpp"
#include "error.hpp"
#include "merge_patch.hpp"
#include "onboarding.hpp"
#include "paging.hpp"
#include "terms.hpp"

/// Onboarding cases (open, read, list, change, link a test client, accept the terms) and
/// the terms of use they refer to (publish, read, list).
namespace onboard::usecases {

/// The `planning` member of a request, as a merge patch: null clears every field; else one
/// Patch per field, in domain::kPlanningFields order.
struct PlanningPatch {
  bool null = false;
  std::array<Patch<std::string>, std::size(domain::kPlanningFields)> fields;

  /// `planning` with the patch applied.
  domain::PlanningInfo ApplyTo(domain::PlanningInfo planning) const;
};

/// POST /v1/onboardings. A portal may leave `organisation` out: it is the one it acts for.
struct NewCase {
  std::optional<std::string> organisation;
  std::string service_name;
  PlanningPatch planning;
  Patch<std::vector<domain::Contact>> contacts;
  std::vector<FieldError> input_errors;  ///< what the request's parser could not read
};

struct CaseQuery {
  std::string organisation;  ///< orgno; empty: every organisation the caller may see
  std::string state;         ///< a state name; empty: every state
  domain::PageRequest page;
};

/// PATCH /v1/onboardings/{id}: a merge patch over {service_name, state, planning,
/// contacts}; id and organisation may be repeated but not changed.
struct CaseChange {
  std::string id;
  std::optional<int> expected_version;
  std::optional<std::string> id_in_body;
  std::optional<std::string> organisation_in_body;
  Patch<std::string> service_name;
  Patch<std::string> state;
  PlanningPatch planning;
  Patch<std::vector<domain::Contact>> contacts;
  std::vector<FieldError> input_errors;
};

/// POST /v1/onboardings/{id}/clients.
struct ClientLink {
  std::string id;
  std::string client_id;
  std::optional<int> expected_version;
  std::vector<FieldError> input_errors;
};

/// POST /v1/onboardings/{id}/terms-acceptance.
struct TermsAcceptanceCommand {
  std::string id;
  std::string terms_version;
  std::optional<int> expected_version;
  std::vector<FieldError> input_errors;
};

/// Onboarding cases. A portal sees only its own organisation's cases: another one's is
/// kNotFound "no such onboarding case", word for word the answer for an unknown id.
class Onboardings {
 public:
  explicit Onboardings(domain::OnboardingStore& store) : store_(store) {}

  /// Validates (organisation required for operators and mod-11, text limits, contacts);
  /// a portal opens cases only for its own organisation (kForbidden). Writes
  /// `onboarding.create`.
  domain::Onboarding Open(const Caller& caller, const NewCase& command);

  domain::Onboarding Get(const Caller& caller, const std::string& id);

  /// Newest first. A portal asking for another organisation's cases gets an empty page.
  domain::Page<domain::Onboarding> List(const Caller& caller, const CaseQuery& query);

  /// Applies the patch; state moves only open <-> withdrawn, a withdrawn case takes only
  /// the change that reopens it. A patch that changes nothing writes nothing and returns
  /// the case as it is. Writes `onboarding.update` with the changed member names.
  domain::Onboarding Change(const Caller& caller, const CaseChange& command);

  /// Links a test client of the case's organisation; repeating a link changes nothing.
  domain::Onboarding LinkClient(const Caller& caller, const ClientLink& command);

  /// Records the caller's acceptance of a published terms version; accepting the version
  /// already accepted changes nothing.
  domain::Onboarding AcceptTerms(const Caller& caller, const TermsAcceptanceCommand& command);

 private:
  domain::Onboarding FindVisible(const Caller& caller, const std::string& id);
  domain::OnboardingStore& store_;
};

/// A new terms version as the request gave it.
struct NewTerms {
  domain::Terms terms;  ///< version, title, url, summary
  std::vector<FieldError> input_errors;
};

/// Terms of use. Published versions never change.
class TermsOfUse {
 public:
  explicit TermsOfUse(domain::TermsStore& store) : store_(store) {}

  /// Validates and publishes (kConflict "terms_version_exists" for a known version);
  /// writes `terms.publish`.
  domain::Terms Publish(const Caller& caller, const NewTerms& command);
  /// Every version, newest first.
  std::vector<domain::Terms> List();
  /// kNotFound "no such terms version".
  domain::Terms Get(const std::string& version);

 private:
  domain::TermsStore& store_;
};

}  // namespace onboard::usecases
