#include "audit_queries.hpp"

#include <Poco/NumberParser.h>

#include <limits>

#include "audit_export.hpp"
#include "merge_patch.hpp"
#include "orgno.hpp"
#include "paging.hpp"
#include "signer.hpp"

namespace onboard::usecases {

namespace {

constexpr int64_t kJsonDefaultLimit = 100;
constexpr int64_t kJsonMaxLimit = 1000;

const std::string* Find(const QueryParams& params, const std::string& name) {
  auto it = params.find(name);
  return it == params.end() ? nullptr : &it->second;
}

bool PlainText(const std::string& s, std::size_t max) {
  if (s.size() > max) return false;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

// An RFC 3339 time (or date) parameter in microseconds; std::nullopt when absent or
// empty; a field error when malformed.
std::optional<int64_t> TimeParam(const QueryParams& params, const std::string& name,
                                 std::vector<FieldError>& errors) {
  const std::string* text = Find(params, name);
  if (text == nullptr || text->empty()) return std::nullopt;
  int64_t us = 0;
  if (!domain::ParseRfc3339Micros(*text, us)) {
    errors.push_back(
        {name, "invalid_time", name + " must be an RFC 3339 time or a date (YYYY-MM-DD)"});
    return std::nullopt;
  }
  return us;
}

// The text filters of a search, each printable and within its limit.
void ReadTextFilters(const QueryParams& params, domain::AuditQuery& query,
                     std::vector<FieldError>& errors) {
  const std::pair<const char*, std::pair<std::string*, std::size_t>> filters[] = {
      {"actor", {&query.actor, 200}},
      {"role", {&query.role, 20}},
      {"organisation", {&query.organisation, 9}},
      {"action", {&query.action, 200}},
      {"outcome", {&query.outcome, 50}},
      {"request_id", {&query.request_id, 128}}};
  for (const auto& [name, target] : filters) {
    const std::string* value = Find(params, name);
    if (value == nullptr) continue;
    if (!PlainText(*value, target.second)) {
      errors.push_back({name, "invalid_value",
                        std::string(name) + " must be printable text of at most " +
                            std::to_string(target.second) + " characters"});
    }
    *target.first = *value;
  }
  if (!query.role.empty() && query.role != "operator" && query.role != "portal" &&
      query.role != "auditor" && query.role != "provider" && query.role != "system") {
    errors.push_back(
        {"role", "invalid_value", "role must be operator, portal, auditor, provider or system"});
  }
  if (!query.organisation.empty() && !domain::IsValidOrgno(query.organisation)) {
    errors.push_back(
        {"organisation", "invalid_orgno", "organisation must be a valid organisation number"});
  }
}

// client_id, order and cursor.
void ReadPosition(const QueryParams& params, domain::AuditQuery& query,
                  std::vector<FieldError>& errors) {
  if (const std::string* id = Find(params, "client_id")) {
    if (!PlainText(*id, 100) || id->empty()) {
      errors.push_back({"client_id", "invalid_value", "client_id must be a client identifier"});
    } else {
      query.client_ids.push_back(*id);
    }
  }
  if (const std::string* order = Find(params, "order")) {
    if (*order == "newest" || *order == "oldest") {
      query.newest_first = *order == "newest";
    } else {
      errors.push_back({"order", "invalid_value", "order must be newest or oldest"});
    }
  }
  if (const std::string* cursor = Find(params, "cursor"); cursor && !cursor->empty()) {
    Poco::Int64 seq = 0;
    if (!Poco::NumberParser::tryParse64(*cursor, seq) || seq < 0) {
      errors.push_back({"cursor", "invalid", "cursor must be the seq of the last event received"});
    } else {
      query.cursor = seq;
    }
  }
}

// limit: 1..1000 for a JSON page (default 100), any positive number for an export (default
// every match).
void ReadLimit(const QueryParams& params, bool json, domain::AuditQuery& query,
               std::vector<FieldError>& errors) {
  const std::string* text = Find(params, "limit");
  if (text == nullptr) {
    if (json) query.limit = kJsonDefaultLimit;
    return;
  }
  Poco::Int64 n = 0;
  const int64_t max = json ? kJsonMaxLimit : std::numeric_limits<int64_t>::max();
  if (!Poco::NumberParser::tryParse64(*text, n) || n < 1 || n > max) {
    errors.push_back(
        {"limit", "out_of_range",
         json ? "limit must be between 1 and 1000 for JSON" : "limit must be a positive number"});
  } else {
    query.limit = n;
  }
}

int ExpiringWithinDays(const QueryParams& params) {
  const std::string* text = Find(params, "expiring_within_days");
  if (text == nullptr) return 30;
  int n = 0;
  if (!Poco::NumberParser::tryParse(*text, n) || n < 1 || n > 3650) {
    throw AppError(ErrorCode::kValidation, "expiring_within_days must be between 1 and 3650", "",
                   {{"expiring_within_days", "out_of_range",
                     "expiring_within_days must be between 1 and 3650"}});
  }
  return n;
}

// `month=YYYY-MM` as [first of the month, first of the next).
void ReadMonth(const std::string& t, domain::ReportPeriod& p, std::vector<FieldError>& errors) {
  int y = 0, m = 0;
  if (t.size() != 7 || t[4] != '-' || !Poco::NumberParser::tryParse(t.substr(0, 4), y) ||
      !Poco::NumberParser::tryParse(t.substr(5, 2), m) || m < 1 || m > 12 || y < 1970 || y > 9999) {
    errors.push_back({"month", "invalid_value", "month must be YYYY-MM"});
    return;
  }
  char a[48], b[48];
  std::snprintf(a, sizeof a, "%04d-%02d-01", y, m);
  std::snprintf(b, sizeof b, "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
  domain::ParseRfc3339Micros(a, p.from_us);
  domain::ParseRfc3339Micros(b, p.to_us);
}

domain::ReportPeriod ReadPeriod(const QueryParams& params) {
  std::vector<FieldError> errors;
  domain::ReportPeriod p;
  const bool has_range = params.contains("from") || params.contains("to");
  if (const std::string* month = Find(params, "month")) {
    if (has_range) errors.push_back({"month", "conflict", "give month or from/to, not both"});
    ReadMonth(*month, p, errors);
  } else {
    auto from = TimeParam(params, "from", errors);
    auto to = TimeParam(params, "to", errors);
    if (!from && !params.contains("from"))
      errors.push_back({"from", "required", "from (or month) is required"});
    if (!to && !params.contains("to"))
      errors.push_back({"to", "required", "to (or month) is required"});
    if (from && to && *from >= *to)
      errors.push_back({"to", "invalid_range", "to must be after from"});
    if (from) p.from_us = *from;
    if (to) p.to_us = *to;
  }
  if (const std::string* org = Find(params, "organisation"); org && !org->empty()) {
    if (!domain::IsValidOrgno(*org)) {
      errors.push_back(
          {"organisation", "invalid_orgno", "organisation must be a valid organisation number"});
    }
    p.organisation = *org;
  }
  ThrowIfInvalid({}, errors, "the report period is invalid");
  return p;
}

// The period, then expiring_within_days when the report has it, then the format: each
// refused on its own, in this order.
domain::ReportPeriod CheckReport(const ReportRequest& request, int* within_days) {
  domain::ReportPeriod period = ReadPeriod(request.params);
  if (within_days != nullptr) *within_days = ExpiringWithinDays(request.params);
  ThrowIfInvalid(request.format_errors, {},
                 request.format_errors.empty() ? "" : request.format_errors.front().message);
  return period;
}

}  // namespace

QueryParams AcceptParams(const QueryShape& shape, const GivenParams& given) {
  QueryParams out;
  std::vector<FieldError> errors;
  for (const auto& [k, v] : given) {
    if (!shape.params.contains(k)) {
      errors.push_back({k, "unknown_parameter", "unknown query parameter " + k});
    } else if (!out.emplace(k, v).second) {
      errors.push_back({k, "repeated", k + " may be given once"});
    }
  }
  if (!errors.empty())
    throw AppError(ErrorCode::kValidation, "the query has unknown or repeated parameters", "",
                   errors);
  return out;
}

std::optional<ExportFormat> NamedFormat(const QueryShape& shape, const QueryParams& params,
                                        std::vector<FieldError>& errors) {
  const std::string* name = Find(params, "format");
  if (name == nullptr) return std::nullopt;
  if (*name == "json") return ExportFormat::kJson;
  if (*name == "csv") return ExportFormat::kCsv;
  if (*name == "ndjson" && shape.ndjson) return ExportFormat::kNdjson;
  if (*name == "html" && shape.html) return ExportFormat::kHtml;
  const std::string allowed = std::string("json, ") + (shape.ndjson ? "ndjson, " : "") +
                              (shape.html ? "html, " : "") + "csv";
  errors.push_back({"format", "invalid_value", "format must be one of " + allowed});
  return ExportFormat::kJson;
}

EventPage AuditQueries::Search(const EventSearch& search, const EventSink& sink) {
  return Run(domain::AuditQuery{}, search, sink);
}

EventPage AuditQueries::ClientTrail(const std::string& client_id, const EventSearch& search,
                                    const EventSink& sink) {
  domain::AuditQuery query;
  query.client_ids = log_.ClientLineage(client_id, query.target_ids);
  if (query.client_ids.empty()) {
    throw AppError(ErrorCode::kNotFound, "no client with this client_id");
  }
  return Run(std::move(query), search, sink);
}

EventPage AuditQueries::Run(domain::AuditQuery query, const EventSearch& search,
                            const EventSink& sink) {
  const QueryParams& params = search.params;
  std::vector<FieldError> errors;
  query.from_us = TimeParam(params, "from", errors);
  query.to_us = TimeParam(params, "to", errors);
  if (query.from_us && query.to_us && *query.from_us >= *query.to_us) {
    errors.push_back({"to", "invalid_range", "to must be after from"});
  }
  ReadTextFilters(params, query, errors);
  ReadPosition(params, query, errors);
  errors.insert(errors.end(), search.format_errors.begin(), search.format_errors.end());
  const bool json = search.format == ExportFormat::kJson;
  ReadLimit(params, json, query, errors);
  ThrowIfInvalid({}, errors, "the audit query is invalid");

  EventPage page;
  if (!json) {
    log_.Stream(query, sink);
    return page;
  }
  // A page: one row more than the limit tells whether there is a next page.
  const int64_t size = *query.limit;
  query.limit = size + 1;
  int64_t written = 0;
  log_.Stream(query, [&](const domain::SealedAuditEvent& e) {
    if (written == size) {
      page.more = true;
      return;
    }
    sink(e);
    ++written;
    page.last_seq = e.seq;
  });
  return page;
}

ChainCheck AuditQueries::Verify(const QueryParams& params) {
  std::vector<FieldError> errors;
  int64_t from_seq = 1, to_seq = 0;
  std::optional<int64_t> from_us, to_us;
  auto read = [&](const char* name, int64_t& seq, std::optional<int64_t>& us) {
    const std::string* text = Find(params, name);
    if (text == nullptr || text->empty()) return;
    Poco::Int64 n = 0;
    if (text->find_first_not_of("0123456789") == std::string::npos &&
        Poco::NumberParser::tryParse64(*text, n)) {
      seq = n;
    } else {
      us = TimeParam(params, name, errors);
    }
  };
  read("from", from_seq, from_us);
  read("to", to_seq, to_us);
  ThrowIfInvalid({}, errors, "from and to must be seq numbers or RFC 3339 times");
  ChainCheck check;
  if (from_us || to_us) {
    const auto [lo, hi] = log_.SeqRangeForTimes(from_us, to_us);
    if (from_us) from_seq = lo == 0 ? std::numeric_limits<int64_t>::max() : lo;
    if (to_us) to_seq = hi;
    if (lo == 0) {
      // No event in the time range: nothing to recompute.
      check.empty_range = true;
      return check;
    }
  }
  check.report = log_.Verify(from_seq, to_seq, signer_);
  if (signer_ != nullptr) check.signature_key_id = signer_->key_id();
  return check;
}

CheckpointPage AuditQueries::Checkpoints(const QueryParams& params) {
  std::optional<int64_t> before;
  int limit = 50;
  std::vector<FieldError> errors;
  if (const std::string* cursor = Find(params, "cursor"); cursor && !cursor->empty()) {
    Poco::Int64 id = 0;
    if (!Poco::NumberParser::tryParse64(*cursor, id) || id < 1) {
      errors.push_back({"cursor", "invalid", "cursor is malformed"});
    } else {
      before = id;
    }
  }
  if (const std::string* text = Find(params, "limit")) {
    if (!Poco::NumberParser::tryParse(*text, limit) || limit < 1 || limit > domain::kMaxPageSize) {
      errors.push_back({"limit", "out_of_range", "limit must be between 1 and 200"});
    }
  }
  ThrowIfInvalid({}, errors, "the query is invalid");
  CheckpointPage page;
  page.items = log_.ListCheckpoints(before, limit + 1);
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(static_cast<std::size_t>(limit));
    page.next_cursor = std::to_string(page.items.back().id);
  }
  if (signer_ != nullptr) {
    page.key = CheckpointKey{signer_->key_id(), signer_->algorithm(), signer_->public_key_pem()};
  }
  return page;
}

domain::Checkpoint AuditQueries::WriteCheckpoint(const Caller& caller) {
  if (signer_ == nullptr) {
    throw AppError(ErrorCode::kConflict,
                   "no checkpoint key is configured (audit.checkpoint_key_file)", "", {},
                   "checkpoint_key_missing");
  }
  auto checkpoint =
      log_.WriteCheckpoint(domain::CheckpointKind::kOnDemand, *signer_, "",
                           caller.Audit("audit.checkpoint", "audit_checkpoint", "", ""));
  if (!checkpoint) {
    throw AppError(ErrorCode::kInternal, "internal error", "on-demand checkpoint not written");
  }
  return *checkpoint;
}

PeriodReport<domain::OnboardingReport> AuditQueries::Onboarding(const ReportRequest& request) {
  const domain::ReportPeriod period = CheckReport(request, nullptr);
  return {period, reports_.Onboarding(period)};
}

PeriodReport<domain::AccessReport> AuditQueries::Access(const ReportRequest& request) {
  const domain::ReportPeriod period = CheckReport(request, nullptr);
  return {period, reports_.Access(period)};
}

PeriodReport<domain::CredentialsReport> AuditQueries::Credentials(const ReportRequest& request) {
  int within = 0;
  const domain::ReportPeriod period = CheckReport(request, &within);
  return {period, reports_.Credentials(period, within)};
}

PeriodReport<domain::DeliveriesReport> AuditQueries::Deliveries(const ReportRequest& request) {
  const domain::ReportPeriod period = CheckReport(request, nullptr);
  return {period, reports_.Deliveries(period)};
}

MonthlyReport AuditQueries::Monthly(const ReportRequest& request) {
  int within = 0;
  MonthlyReport out;
  out.period = CheckReport(request, &within);
  const std::string* month = Find(request.params, "month");
  out.label = month != nullptr
                  ? *month
                  : domain::Rfc3339FromMicros(out.period.from_us).substr(0, 10) + " – " +
                        domain::Rfc3339FromMicros(out.period.to_us).substr(0, 10);
  out.onboarding = reports_.Onboarding(out.period);
  out.access = reports_.Access(out.period);
  out.credentials = reports_.Credentials(out.period, within);
  out.deliveries = reports_.Deliveries(out.period);
  return out;
}

}  // namespace onboard::usecases
