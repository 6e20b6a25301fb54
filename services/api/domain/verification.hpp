#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_event.hpp"
#include "client_metadata.hpp"
#include "error.hpp"

namespace onboard::domain {

/// Client features a catalogue case can name. For an optional case the feature makes the
/// case required; for a mandatory case it is what the case needs registered (test 7 needs
/// a front-channel logout URI). Wire names: `onbehalfof`, `frontchannel_logout_uri`,
/// `sso_disabled`.
enum class ClientFeature { kOnBehalfOf, kFrontchannelLogoutUri, kSsoDisabled };

std::string_view ToString(ClientFeature feature) noexcept;
std::optional<ClientFeature> ClientFeatureFromString(std::string_view text) noexcept;

/// True when `metadata` uses `feature` (onbehalfof records present, a
/// frontchannel_logout_uri registered, sso_disabled set).
bool HasFeature(const ClientMetadata& metadata, ClientFeature feature) noexcept;

/// One verification test case of the provider (DOMAIN.md "Verification tests").
struct VerificationCase {
  int id = 0;
  std::string name;  ///< stable snake_case key, e.g. "single_logout_from_own_service"
  std::string title;
  std::string description;
  bool mandatory = false;
  std::optional<ClientFeature> feature;

  bool operator==(const VerificationCase&) const = default;
};

/// One published version of the catalogue; cases in ascending id order.
struct VerificationCatalogue {
  int version = 0;
  std::vector<VerificationCase> cases;
  std::string published_at;  ///< RFC 3339, set by the store
  std::string published_by;

  /// The case with `id`, or nullptr.
  const VerificationCase* Find(int id) const noexcept;
};

/// Mandatory cases are always required; an optional case is required when the client
/// uses the case's feature.
bool IsRequiredFor(const VerificationCase& c, const ClientMetadata& metadata) noexcept;

inline constexpr std::size_t kMaxCatalogueCases = 100;
inline constexpr int kMaxCaseId = 999;
inline constexpr std::size_t kMaxCaseNameChars = 64;
inline constexpr std::size_t kMaxCaseTitleChars = 200;
inline constexpr std::size_t kMaxCaseDescriptionChars = 4000;

/// Field errors for the full case list of a new catalogue version (paths `cases`,
/// `cases/<i>/id`, `cases/<i>/name`, ...): 1 to kMaxCatalogueCases cases, ids 1..999 and
/// names (`[a-z][a-z0-9_]*`) unique, title and description present, at least one
/// mandatory case.
std::vector<FieldError> ValidateCatalogueCases(const std::vector<VerificationCase>& cases);

/// What a tester saw for one case.
enum class CaseOutcome { kPassed, kFailed, kNotApplicable };

std::string_view ToString(CaseOutcome outcome) noexcept;
std::optional<CaseOutcome> CaseOutcomeFromString(std::string_view text) noexcept;

struct CaseResult {
  int case_id = 0;
  CaseOutcome outcome = CaseOutcome::kFailed;
  std::string evidence;    ///< free text, e.g. the acr seen in the id_token; may be empty
  std::string attachment;  ///< reference to a screenshot or log (URL or document id); may be empty

  bool operator==(const CaseResult&) const = default;
};

/// One recorded verification run of a test client.
struct VerificationRun {
  std::string id;  ///< UUID, assigned by the caller of RecordRun
  std::string client_id;
  int catalogue_version = 0;
  std::string tester;     ///< name of the person who ran the tests
  std::string tested_at;  ///< RFC 3339 (the store returns UTC)
  std::vector<CaseResult> results;
  bool complete = false;               ///< covers every mandatory case of its catalogue version
  std::vector<int> missing_mandatory;  ///< mandatory cases it does not cover
  std::string recorded_at;             ///< RFC 3339, set by the store
  std::string recorded_by;             ///< API token name
  std::string recorded_role;
  std::string portal_user;
};

inline constexpr std::size_t kMaxTesterChars = 200;
inline constexpr std::size_t kMaxEvidenceChars = 4000;
inline constexpr std::size_t kMaxAttachmentChars = 1000;
/// How far in the future a tested_at may lie (clock skew between tester and service).
inline constexpr std::chrono::minutes kMaxTestedAtSkew{5};

/// Field errors for a run against `catalogue` (the version the run names): tester present
/// and single-line; tested_at an RFC 3339 time not after `now` + kMaxTestedAtSkew; at
/// least one result; every case id known in the catalogue and given once
/// (`unknown_case`, `duplicate_case`); a mandatory case never `not_applicable`
/// (`mandatory_not_applicable`); evidence and attachment within their limits.
std::vector<FieldError> ValidateRun(const VerificationRun& run,
                                    const VerificationCatalogue& catalogue,
                                    std::chrono::system_clock::time_point now);

/// Mandatory cases of `catalogue` that `run` has no result for, ascending.
std::vector<int> MissingMandatoryCases(const VerificationRun& run,
                                       const VerificationCatalogue& catalogue);

/// Sets run.missing_mandatory and run.complete (complete = no mandatory case missing).
void MarkCompleteness(VerificationRun& run, const VerificationCatalogue& catalogue);

/// Parses an RFC 3339 date-time (`2024-05-01T12:00:00Z`, `...T12:00:00.123+02:00`); seconds
/// precision, fractions ignored. std::nullopt for anything else. Never throws.
std::optional<std::chrono::sys_seconds> ParseRfc3339(std::string_view text) noexcept;

/// Persistence of the catalogue and of verification runs. Implementations are
/// thread-safe. Mutations write `audit` in the same transaction.
/// What the readiness checklist reads about a test client from the verification store.
struct TestClientFacts {
  std::optional<std::string> case_id;  ///< the onboarding case that links it
  std::optional<VerificationRun> latest_complete_run;
};

class VerificationStore {
 public:
  virtual ~VerificationStore() = default;

  /// The newest catalogue version. Throws AppError(kInternal) when none exists (the
  /// migration seeds version 1).
  virtual VerificationCatalogue CurrentCatalogue() = 0;
  virtual std::optional<VerificationCatalogue> FindCatalogue(int version) = 0;

  /// Publishes `catalogue` (its version must be the current one + 1). Throws
  /// AppError(kConflict, code_name "catalogue_version_exists") when that version was
  /// published meanwhile.
  virtual VerificationCatalogue PublishCatalogue(const VerificationCatalogue& catalogue,
                                                 const AuditEvent& audit) = 0;

  /// Stores a validated run (complete and missing_mandatory already set) as recorded by
  /// `by`. Throws AppError(kConflict, code_name "not_a_test_client") when the client is
  /// not a test client, kNotFound when it does not exist.
  virtual VerificationRun RecordRun(const VerificationRun& run, const Actor& by,
                                    const AuditEvent& audit) = 0;

  /// The client's runs, newest tested_at first (ties: newest recorded first), at most
  /// `limit`.
  virtual std::vector<VerificationRun> ListRuns(const std::string& client_id, int limit) = 0;

  /// The newest complete run of the client (same order as ListRuns).
  virtual std::optional<VerificationRun> LatestCompleteRun(const std::string& client_id) = 0;

  /// Id of the onboarding case that links `client_id` as a test client, if any.
  virtual std::optional<std::string> FindCaseOfClient(const std::string& client_id) = 0;

  /// FindCaseOfClient and LatestCompleteRun of each of `client_ids`, keyed by client id
  /// (every id given is a key). For lists that show many checklists at once (the work
  /// queue's orders): the default asks both per client, the database answers in one
  /// statement.
  virtual std::map<std::string, TestClientFacts> FactsOfTestClients(
      const std::vector<std::string>& client_ids) {
    std::map<std::string, TestClientFacts> out;
    for (const std::string& id : client_ids)
      out[id] = TestClientFacts{FindCaseOfClient(id), LatestCompleteRun(id)};
    return out;
  }
};

}  // namespace onboard::domain
