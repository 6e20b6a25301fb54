#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "audit_log.hpp"
#include "audit_report.hpp"
#include "caller.hpp"
#include "error.hpp"

namespace onboard::crypto {
class Signer;
}

/// What auditors ask of the audit trail: event searches and exports, the client trail,
/// chain verification, signed checkpoints and the reports.
namespace onboard::usecases {

/// A query's parameters by name (the parser refused unknown and repeated ones).
using QueryParams = std::map<std::string, std::string>;

/// The format an answer is asked in (`format=` or Accept, decided by the HTTP layer).
enum class ExportFormat { kJson, kNdjson, kCsv, kHtml };

/// What one audit query takes: its parameters by name and the formats it offers besides
/// JSON and CSV. A parameter it does not take is refused, not ignored: a misspelt filter
/// must not silently widen an audit query.
struct QueryShape {
  std::set<std::string> params;
  bool ndjson = false;
  bool html = false;
};

/// GET /v1/audit/events (and, without client_id, GET /v1/clients/{client_id}/audit).
inline const QueryShape kEventsQuery{
    {"from", "to", "actor", "role", "organisation", "client_id", "action", "outcome", "request_id",
     "cursor", "order", "limit", "format"},
    true};
inline const QueryShape kClientTrailQuery{
    {"from", "to", "actor", "role", "organisation", "action", "outcome", "request_id", "cursor",
     "order", "limit", "format"},
    true};
inline const QueryShape kVerifyQuery{{"from", "to"}};
inline const QueryShape kCheckpointsQuery{{"cursor", "limit"}};
/// The onboarding, access and deliveries reports; credentials adds expiring_within_days,
/// the monthly report that and HTML.
inline const QueryShape kReportQuery{{"month", "from", "to", "organisation", "format"}};
inline const QueryShape kCredentialsReportQuery{
    {"month", "from", "to", "organisation", "format", "expiring_within_days"}};
inline const QueryShape kMonthlyReportQuery{
    {"month", "from", "to", "organisation", "format", "expiring_within_days"}, false, true};

/// A query's parameters as the request gave them: in order, names may repeat.
using GivenParams = std::vector<std::pair<std::string, std::string>>;

/// The parameters by name; kValidation "the query has unknown or repeated parameters"
/// naming every one the query does not take (unknown_parameter) and every one given twice
/// (repeated).
QueryParams AcceptParams(const QueryShape& shape, const GivenParams& given);

/// The format `format=` names when the query offers it (json and csv always); one the query
/// does not offer adds a field error naming those it does, and is JSON. std::nullopt
/// without `format=` (the HTTP layer then goes by Accept).
std::optional<ExportFormat> NamedFormat(const QueryShape& shape, const QueryParams& params,
                                        std::vector<FieldError>& errors);

/// GET /v1/audit/events and GET /v1/clients/{client_id}/audit.
struct EventSearch {
  QueryParams params;  ///< from, to, actor, role, organisation, client_id, action, outcome,
                       ///< request_id, cursor, order, limit
  ExportFormat format = ExportFormat::kJson;
  std::vector<FieldError> format_errors;  ///< a `format=` the parser did not accept
};

/// What a search streamed: JSON answers are pages (`more` says whether a next page
/// exists, its cursor is `last_seq`); NDJSON and CSV exports stream every match.
struct EventPage {
  bool more = false;
  int64_t last_seq = 0;
};

using EventSink = std::function<void(const domain::SealedAuditEvent&)>;

/// GET /v1/audit/verify: the chain report over the asked range.
struct ChainCheck {
  domain::ChainReport report;
  bool empty_range = false;                     ///< a time range with no event: nothing checked
  std::optional<std::string> signature_key_id;  ///< the configured checkpoint key, if any
};

/// The public key that checks the checkpoints.
struct CheckpointKey {
  std::string key_id;
  std::string algorithm;
  std::string public_key_pem;
};

struct CheckpointPage {
  std::vector<domain::Checkpoint> items;   ///< newest first
  std::optional<std::string> next_cursor;  ///< set when older checkpoints follow
  std::optional<CheckpointKey> key;        ///< std::nullopt: no key configured
};

/// GET /v1/audit/reports/*: `month=YYYY-MM` or `from`/`to`, `organisation`, and for the
/// credentials and monthly reports `expiring_within_days`.
struct ReportRequest {
  QueryParams params;
  ExportFormat format = ExportFormat::kJson;
  std::vector<FieldError> format_errors;
};

/// A report with the period it covers.
template <class Report>
struct PeriodReport {
  domain::ReportPeriod period;
  Report report;
};

struct MonthlyReport {
  domain::ReportPeriod period;
  std::string label;  ///< `YYYY-MM`, or `<from date> – <to date>`
  domain::OnboardingReport onboarding;
  domain::AccessReport access;
  domain::CredentialsReport credentials;
  domain::DeliveriesReport deliveries;
};

/// Read-only but for checkpoints. Thread-safe as its stores are.
class AuditQueries {
 public:
  AuditQueries(domain::AuditLogStore& log, domain::ReportStore& reports,
               const crypto::Signer* signer)
      : log_(log), reports_(reports), signer_(signer) {}

  /// Validates the filters (kValidation naming each bad one: times RFC 3339 with from <
  /// to, printable text within limits, known roles, orgno mod-11, order newest|oldest,
  /// cursor a seq, limit 1..1000 for JSON (default 100) or any positive number for
  /// exports) and streams the matching events to `sink`.
  EventPage Search(const EventSearch& search, const EventSink& sink);

  /// Search restricted to the events of one client and its lineage (kNotFound "no client
  /// with this client_id" when there is none).
  EventPage ClientTrail(const std::string& client_id, const EventSearch& search,
                        const EventSink& sink);

  /// `from`/`to`: seq numbers (digits) or RFC 3339 times; a time range covers the events
  /// that occurred in [from, to).
  ChainCheck Verify(const QueryParams& params);

  /// `cursor`: the id of the last checkpoint received; `limit` 1..200 (default 50).
  CheckpointPage Checkpoints(const QueryParams& params);

  /// Signs the current head now (kConflict "checkpoint_key_missing" without a key);
  /// writes `audit.checkpoint`.
  domain::Checkpoint WriteCheckpoint(const Caller& caller);

  /// The reports: kValidation for a malformed period, organisation, expiring_within_days
  /// (1..3650, default 30) or format, in that order.
  PeriodReport<domain::OnboardingReport> Onboarding(const ReportRequest& request);
  PeriodReport<domain::AccessReport> Access(const ReportRequest& request);
  PeriodReport<domain::CredentialsReport> Credentials(const ReportRequest& request);
  PeriodReport<domain::DeliveriesReport> Deliveries(const ReportRequest& request);
  MonthlyReport Monthly(const ReportRequest& request);

 private:
  EventPage Run(domain::AuditQuery query, const EventSearch& search, const EventSink& sink);
  domain::AuditLogStore& log_;
  domain::ReportStore& reports_;
  const crypto::Signer* signer_;
};

}  // namespace onboard::usecases
