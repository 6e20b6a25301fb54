#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace onboard::domain {

/// The period [from, to) a report covers, for one organisation or (empty) all.
struct ReportPeriod {
  int64_t from_us = 0;
  int64_t to_us = 0;
  std::string organisation;
};

struct WaitingOrder {
  std::string id;
  std::string organisation;
  std::string submitted_at;
  int64_t age_s = 0;  ///< at the report's as_of time
};

struct OnboardingReport {
  std::vector<std::pair<std::string, int64_t>> cases_by_state;  ///< cases opened in the period
  int64_t orders_submitted = 0;
  int64_t orders_approved = 0;
  int64_t orders_rejected = 0;
  int64_t approvals_measured = 0;  ///< approvals with a test client to measure from
  std::optional<double> median_time_to_production_s;
  std::optional<double> p90_time_to_production_s;
  int64_t as_of_us = 0;  ///< the earlier of the period's end and now: when "waiting" is taken
  std::vector<WaitingOrder> orders_waiting;
};

struct ActorActions {
  std::string actor;
  std::string role;
  int64_t actions = 0;
  int64_t not_successful = 0;
};

struct TokenRefusals {
  std::string token_key;  ///< token id, or "anonymous"
  std::string token_name;
  std::string role;
  int status = 0;  ///< 401 or 403
  int64_t count = 0;
};

struct AccessReport {
  std::vector<ActorActions> actions;
  /// Refusals are counted per token and day, not per organisation: only the overall
  /// report has them.
  bool refusals_included = true;
  std::vector<TokenRefusals> refusals;
};

struct ExpiringSecret {
  std::string client_id;
  std::string secret_id;
  std::string organisation;
  std::string environment;
  std::string expires_at;
  int64_t days_left = 0;
  bool superseded = false;  ///< already replaced, expiring at the end of its grace period
};

/// An enterprise certificate bound to a client (not removed) that expires soon.
struct ExpiringCertificate {
  std::string client_id;
  std::string key_id;
  std::string kid;
  std::string organisation;  ///< the client's organisation
  std::string environment;
  std::string subject;            ///< the certificate's subject DN
  std::string certificate_orgno;  ///< the organisation number read from the certificate
  std::string issuer;
  std::string serial;
  std::string thumbprint;  ///< x5t#S256
  std::string not_after;
  int64_t days_left = 0;
};

struct RotatedSecretInUse {
  std::string client_id;
  std::string secret_id;
  std::string organisation;
  std::string superseded_at;
  std::string last_used_at;
  std::string expires_at;
};

struct CredentialsReport {
  int64_t issued = 0;
  int64_t rotated = 0;
  int64_t revoked = 0;
  int expiring_within_days = 30;
  std::vector<ExpiringSecret> expiring;                    ///< taken now, not for the period
  std::vector<ExpiringCertificate> certificates_expiring;  ///< taken now, soonest first
  std::vector<RotatedSecretInUse> rotated_in_use;
};

struct FailureCount {
  std::string channel;  ///< sms or email
  std::string code;     ///< the provider's error code, or "unknown"
  int64_t count = 0;
};

struct UnfetchedPackage {
  std::string delivery_id;
  std::string client_id;
  std::string organisation;
  std::string state;
  std::string created_at;
  std::string expires_at;
};

struct SecondDownload {
  int64_t seq = 0;
  std::string delivery_id;
  std::string organisation;
  std::string occurred_at;
  std::string source_ip;
};

struct DeliveriesReport {
  int64_t sms_succeeded = 0;  ///< sent or delivered
  int64_t sms_failed = 0;     ///< failed or undelivered
  int64_t sms_pending = 0;
  int64_t email_sent = 0;
  int64_t email_failed = 0;
  int64_t email_pending = 0;
  std::vector<FailureCount> failures;
  std::vector<UnfetchedPackage> never_fetched;
  std::vector<SecondDownload> second_downloads;
};

/// One instance's count of refused requests for one token, status and UTC day.
struct RefusalCount {
  std::string day;  ///< YYYY-MM-DD
  std::string token_key;
  std::string token_name;
  std::string role;
  int status = 0;
  int64_t count = 0;
  int64_t last_at_us = 0;
};

/// Figures for the periodic reports, and the refusal counters behind the access report.
/// Thread-safe.
class ReportStore {
 public:
  virtual ~ReportStore() = default;
  virtual OnboardingReport Onboarding(const ReportPeriod& period) = 0;
  virtual AccessReport Access(const ReportPeriod& period) = 0;
  /// Secrets issued/rotated/revoked in the period; secrets and bound certificates expiring
  /// within `within_days` and rotated secrets still in use as of now.
  virtual CredentialsReport Credentials(const ReportPeriod& period, int within_days) = 0;
  virtual DeliveriesReport Deliveries(const ReportPeriod& period) = 0;
  /// Adds counts to the stored totals (one transaction).
  virtual void AddRefusals(const std::vector<RefusalCount>& counts) = 0;
};

}  // namespace onboard::domain
