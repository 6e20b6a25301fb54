#pragma once

#include <optional>
#include <string>
#include <vector>

#include "caller.hpp"
#include "clients.hpp"
#include "client.hpp"
#include "error.hpp"
#include "onboarding.hpp"
#include "production_order.hpp"
#include "readiness.hpp"
#include "scope_catalogue.hpp"
#include "verification.hpp"

/// The verification catalogue (read, publish), verification runs of test clients (record,
/// list) and the production-readiness checklist.
namespace onboard::usecases {

/// POST /v1/verification-catalogue: the full list of the next version.
struct NewCatalogue {
  std::vector<domain::VerificationCase> cases;
  std::optional<int> expected_version;  ///< If-Match: the version the operator has seen
  std::vector<FieldError> input_errors;
};

/// POST /v1/clients/{client_id}/verification-runs.
struct NewRun {
  std::string client_id;
  domain::VerificationRun run;           ///< tester, tested_at, results
  std::optional<int> catalogue_version;  ///< std::nullopt: the current catalogue
  std::vector<FieldError> input_errors;
};

/// The runs of a client, newest tested first, and the one that decides readiness.
struct RunList {
  std::string client_id;
  std::vector<domain::VerificationRun> runs;
  std::optional<std::string> latest_complete_run_id;
};

/// The checklist of one client, with its id as stored.
struct ClientReadiness {
  std::string client_id;
  domain::Readiness readiness;
};

/// One checklist of many (EvaluateMany): a test client, the delivery method and the
/// metadata to judge (empty: the client's own), as Evaluate takes them.
struct ReadinessSubject {
  std::string client_id;
  domain::DeliveryMethod delivery = domain::DeliveryMethod::kSmsZip;
  std::string proposed_metadata_json;
};

/// Everything here concerns test clients: a production client is kConflict
/// "not_a_test_client". A client a portal may not see is kNotFound "no such client".
class Verifications {
 public:
  Verifications(domain::VerificationStore& store, domain::ClientStore& clients,
                domain::OnboardingStore& onboardings, const domain::ScopeCatalogue& scopes,
                int max_age_days)
      : store_(store),
        clients_(clients),
        onboardings_(onboardings),
        scopes_(scopes),
        max_age_days_(max_age_days) {}

  /// The current catalogue, or the version named by `version` (a positive integer;
  /// kNotFound when it does not exist).
  domain::VerificationCatalogue Catalogue(const std::string& version);

  /// Validates the cases, checks If-Match against the current version, publishes the
  /// next version sorted by case id and writes `verification_catalogue.publish`.
  domain::VerificationCatalogue Publish(const Caller& caller, const NewCatalogue& command);

  /// Validates the run against its catalogue version, marks it complete or not and writes
  /// `verification_run.record`.
  domain::VerificationRun Record(const Caller& caller, const NewRun& command);

  /// `limit`: 1..200, default 50.
  RunList Runs(const Caller& caller, const std::string& client_id, const std::string& limit);

  /// The checklist of a test client; `delivery`: sms_zip (default) or certificate.
  ClientReadiness Readiness(const Caller& caller, const std::string& client_id,
                            const std::string& delivery);

  /// The checklist of `client` for `delivery`, judging `proposed_metadata_json` (empty: the
  /// client's own metadata) against the production rules. Shared with production orders.
  domain::Readiness Evaluate(const domain::Client& client, domain::DeliveryMethod delivery,
                             const std::string& proposed_metadata_json);

  /// Evaluate for each subject, in their order, with a fixed number of store calls
  /// whatever their count: the catalogue once, the clients in one FindMany, their cases
  /// and runs in one FactsOfTestClients, their cases in one FindMany. A client that does not
  /// exist gets a checklist whose test_client item is not ok.
  std::vector<domain::Readiness> EvaluateMany(const std::vector<ReadinessSubject>& subjects);

 private:
  domain::Readiness Judge(const domain::Client& client, domain::DeliveryMethod delivery,
                          const std::string& proposed_metadata_json,
                          std::optional<domain::Onboarding> onboarding,
                          domain::VerificationCatalogue catalogue,
                          std::optional<domain::VerificationRun> latest_complete_run) const;
  domain::Client FindVisibleTestClient(const Caller& caller, const std::string& client_id);

  domain::VerificationStore& store_;
  domain::ClientStore& clients_;
  domain::OnboardingStore& onboardings_;
  const domain::ScopeCatalogue& scopes_;
  int max_age_days_;
};

/// Finds a client a caller may see: kNotFound "no such client" when it does not exist or
/// a portal acts for another organisation (the same words, so nothing is revealed).
domain::Client FindVisibleClient(domain::ClientStore& clients, const Caller& caller,
                                 const std::string& client_id);

}  // namespace onboard::usecases
