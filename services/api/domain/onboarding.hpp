#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit_event.hpp"
#include "error.hpp"
#include "organisation.hpp"
#include "paging.hpp"

namespace onboard::domain {

/// Where an onboarding case stands. A case opens in kOpen. kProductionOrdered and
/// kInProduction belong to the production-order workflow and are never set through a
/// PATCH; kWithdrawn closes a case that will not go to production (it can be reopened).
enum class OnboardingState { kOpen, kProductionOrdered, kInProduction, kWithdrawn };

/// Stable lower-case name, e.g. "production_ordered".
std::string_view OnboardingStateName(OnboardingState state) noexcept;
/// Inverse of OnboardingStateName; std::nullopt for anything else.
std::optional<OnboardingState> ParseOnboardingState(std::string_view text) noexcept;

/// True when a caller may move a case from `from` to `to` by PATCH: open <-> withdrawn,
/// or staying where it is.
bool IsPatchableTransition(OnboardingState from, OnboardingState to) noexcept;

/// Planning information agreed with the operator team before production. Each field is
/// free text; an empty string means "not given yet".
struct PlanningInfo {
  std::string schedule;
  std::string production_plan;
  std::string service_description;
  std::string expected_volume;
  std::string high_traffic_periods;  ///< expected usage peaks, e.g. tax season
  std::string support_impact;        ///< expected load on the provider's user support
};

/// One planning field: its public name (JSON key) and where it lives in PlanningInfo.
struct PlanningField {
  std::string_view name;
  std::string PlanningInfo::*member;
};

/// Every planning field in display order; codecs, validation and the completeness rule
/// all walk this one list, so a new field cannot be forgotten by one of them.
inline constexpr PlanningField kPlanningFields[] = {
    {"schedule", &PlanningInfo::schedule},
    {"production_plan", &PlanningInfo::production_plan},
    {"service_description", &PlanningInfo::service_description},
    {"expected_volume", &PlanningInfo::expected_volume},
    {"high_traffic_periods", &PlanningInfo::high_traffic_periods},
    {"support_impact", &PlanningInfo::support_impact},
};

/// Names of the planning fields that are still empty (only whitespace counts as empty),
/// in kPlanningFields order.
std::vector<std::string> MissingPlanningFields(const PlanningInfo& planning);

/// The planning-complete rule used by the production-readiness checklist: every
/// planning field holds something other than whitespace.
bool IsPlanningComplete(const PlanningInfo& planning) noexcept;

/// The latest terms acceptance of a case.
struct TermsAcceptance {
  std::string terms_version;
  std::string accepted_at;    ///< RFC 3339, set by the store
  std::string accepted_by;    ///< API token name of the caller
  std::string accepted_role;  ///< operator or portal
  std::string portal_user;    ///< X-Onboard-User for portal callers, else empty
};

/// A test client linked to a case, with the client's current name and state.
struct LinkedClient {
  std::string client_id;
  std::string client_name;
  std::string environment;
  std::string state;
  std::string linked_at;
  std::string linked_by;
};

/// One onboarding case: one service of one organisation on its way to production.
struct Onboarding {
  std::string id;  ///< UUID, assigned by the caller of Create
  std::string organisation;
  std::string service_name;
  OnboardingState state = OnboardingState::kOpen;
  PlanningInfo planning;
  std::vector<Contact> contacts;
  std::vector<LinkedClient> test_clients;           ///< read-only here: see LinkTestClient
  std::optional<std::string> production_client_id;  ///< set by the production workflow
  std::optional<TermsAcceptance> terms_acceptance;  ///< read-only here: see AcceptTerms
  int version = 1;
  std::string created_by;
  std::string created_at;  ///< RFC 3339, set by the store
  std::string updated_at;
};

struct OnboardingFilter {
  std::string organisation;  ///< orgno; empty = every organisation
  std::optional<OnboardingState> state;
};

/// What a linking or accepting call did. `changed` is false when the request repeated
/// what was already recorded: nothing was written and no audit event was appended.
struct OnboardingChange {
  Onboarding onboarding;
  bool changed = true;
};

/// Persistence of onboarding cases. Implementations are thread-safe. Every method that
/// changes something writes `audit` in the same transaction and throws AppError:
/// kNotFound when the case does not exist; kPreconditionFailed (code_name
/// "version_mismatch") when `expected_version` is given and the case has another version.
class OnboardingStore {
 public:
  virtual ~OnboardingStore() = default;

  /// Stores a new case (id, organisation, service_name, planning, contacts, created_by).
  /// Throws kConflict "onboarding_exists" when the organisation has a case with the same
  /// service name, kValidation (field `organisation`) when the organisation is unknown.
  virtual Onboarding Create(const Onboarding& onboarding, const AuditEvent& audit) = 0;

  virtual std::optional<Onboarding> Find(const std::string& id) = 0;

  /// The cases among `ids` that exist, in no particular order. The default asks Find for
  /// each; the database answers in one statement.
  virtual std::vector<Onboarding> FindMany(const std::vector<std::string>& ids) {
    return FindEach<Onboarding>(ids, [this](const std::string& id) { return Find(id); });
  }

  /// Newest case first.
  virtual Page<Onboarding> List(const OnboardingFilter& filter, const PageRequest& page) = 0;

  /// Replaces service_name, state, planning and contacts. Throws kConflict
  /// "onboarding_exists" when the new service name is taken within the organisation.
  virtual Onboarding Update(const Onboarding& onboarding, int expected_version,
                            const AuditEvent& audit) = 0;

  /// Links a test client of the case's organisation (rule: CheckLinkableTestClient) and
  /// records `by` as the one who linked it. Throws kNotFound when the client is unknown,
  /// belongs to another organisation or is not a test client; kConflict
  /// "client_already_linked" when another case has it; kConflict "onboarding_closed"
  /// when the case is withdrawn.
  virtual OnboardingChange LinkTestClient(const std::string& id, const std::string& client_id,
                                          const Actor& by, std::optional<int> expected_version,
                                          const AuditEvent& audit) = 0;

  /// Records that `by` accepted the published terms `terms_version` for the case (rule:
  /// DecideTermsAcceptance). Throws kValidation (field `terms_version`) when that version
  /// is not published, kConflict "terms_older_than_accepted" when a newer version is
  /// already accepted, kConflict "onboarding_closed" when the case is withdrawn.
  virtual OnboardingChange AcceptTerms(const std::string& id, const std::string& terms_version,
                                       const Actor& by, std::optional<int> expected_version,
                                       const AuditEvent& audit) = 0;
};

/// Limits on the free text of a case.
inline constexpr std::size_t kMaxServiceNameChars = 200;
inline constexpr std::size_t kMaxPlanningTextChars = 4000;
inline constexpr std::size_t kMaxOnboardingContacts = 20;

/// Field errors for a case's service name, planning fields and contacts (paths relative
/// to the case object, e.g. `planning/schedule`, `contacts/0/email`). Planning fields
/// may span lines (TAB, CR, LF); every other control character is refused.
std::vector<FieldError> ValidateOnboarding(const Onboarding& onboarding);

/// Throws AppError(kConflict, code_name "onboarding_closed") when a case in `state` takes
/// no more changes other than reopening it (it is withdrawn).
void RequireOpenForChanges(OnboardingState state);

/// Where a client lives, as far as linking it to a case is concerned.
struct ClientPlacement {
  std::string organisation;
  std::string environment;  ///< test or production
};

/// The rule for linking a test client: the client (std::nullopt: it does not exist) must
/// belong to the case's organisation and live in the test environment. Throws
/// AppError(kNotFound, code_name "client_not_found") otherwise, with the same public
/// detail whatever the reason, so that nothing is revealed about other organisations'
/// clients.
void CheckLinkableTestClient(const std::string& case_organisation,
                             const std::optional<ClientPlacement>& client);

enum class TermsAcceptanceDecision {
  kRecord,             ///< record a new acceptance
  kAlreadyAccepted,    ///< this version is the one accepted: nothing to do
  kOlderThanAccepted,  ///< a newer version is accepted: refuse
};

/// Decides an acceptance from the publication order (`rank`, higher = newer) of the
/// currently accepted version (none yet: std::nullopt) and of the requested one.
TermsAcceptanceDecision DecideTermsAcceptance(std::optional<int64_t> accepted_rank,
                                              int64_t requested_rank) noexcept;

/// Free-text checks shared by the onboarding and terms records: required or not, at most
/// `max_chars` code points, no control characters (TAB, CR and LF allowed when
/// `multiline`). Appends at most one error for `path`.
void CheckText(std::vector<FieldError>& errors, const std::string& path, std::string_view value,
               bool required, std::size_t max_chars, bool multiline);

/// Number of Unicode code points in UTF-8 text.
std::size_t CodePointCount(std::string_view utf8) noexcept;

}  // namespace onboard::domain
