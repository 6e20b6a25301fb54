#include "audit_codecs.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/URI.h>
#include <kainjow/mustache.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "embedded_file.hpp"
#include "error.hpp"

namespace onboard::http {
const std::vector<onboard::EmbeddedFile>& EmbeddedAuditTemplates();
}

namespace onboard::http::audit {

namespace {

constexpr std::size_t kAuditFlushBytes = 64 * 1024;

using AuditVar = Poco::Dynamic::Var;
using AuditMembers = std::initializer_list<std::pair<const char*, AuditVar>>;

// A JSON object from its members, and a JSON array with one object per row.
Poco::JSON::Object AuditObject(AuditMembers members) {
  Poco::JSON::Object o;
  for (const auto& [name, value] : members) o.set(name, value);
  return o;
}

template <class Row, class ToJson>
Poco::JSON::Array AuditArray(const std::vector<Row>& rows, ToJson to_json) {
  Poco::JSON::Array a;
  for (const Row& row : rows) a.add(to_json(row));
  return a;
}

template <class T>
AuditVar OrNull(const std::optional<T>& v) {
  return v ? AuditVar(*v) : AuditVar();
}

AuditVar NullIfEmpty(const std::string& s) { return s.empty() ? AuditVar() : AuditVar(s); }

AuditVar SuccessRate(int64_t ok, int64_t failed) {
  if (ok + failed == 0) return AuditVar();
  return static_cast<double>(ok) / static_cast<double>(ok + failed);
}

std::string FixedDecimals(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// A report's CSV: a header, then one `section,key,value` row per figure.
class ReportCsvWriter {
 public:
  ReportCsvWriter& Row(std::string_view section, std::string_view key, std::string_view value) {
    domain::AppendCsvField(out_, section);
    out_.push_back(',');
    domain::AppendCsvField(out_, key);
    out_.push_back(',');
    domain::AppendCsvField(out_, value);
    out_ += "\r\n";
    return *this;
  }
  ReportCsvWriter& Counts(std::string_view section,
                          std::initializer_list<std::pair<const char*, int64_t>> counts) {
    for (const auto& [key, n] : counts) Row(section, key, std::to_string(n));
    return *this;
  }
  std::string Text() { return std::move(out_); }

 private:
  std::string out_ = "section,key,value\r\n";
};

Poco::JSON::Object PeriodJson(const domain::ReportPeriod& period) {
  return AuditObject({{"from", domain::Rfc3339FromMicros(period.from_us)},
                      {"to", domain::Rfc3339FromMicros(period.to_us)},
                      {"organisation", NullIfEmpty(period.organisation)}});
}

Format AcceptedFormat(const RequestContext& ctx, const usecases::QueryShape& shape) {
  const std::string accept = ctx.request.get("Accept", "");
  const auto names = [&](const char* type) { return accept.find(type) != std::string::npos; };
  if (names("text/csv")) return Format::kCsv;
  if (shape.ndjson && (names("application/x-ndjson") || names("application/ndjson")))
    return Format::kNdjson;
  if (shape.html && names("text/html")) return Format::kHtml;
  return Format::kJson;
}

// What an event search and a report request have in common: parameters and format.
template <class Request>
Request ReadFormatted(const RequestContext& ctx, const usecases::QueryShape& shape) {
  Request request;
  request.params = ReadQuery(ctx, shape);
  request.format = usecases::NamedFormat(shape, request.params, request.format_errors)
                       .value_or(AcceptedFormat(ctx, shape));
  return request;
}

}  // namespace

usecases::QueryParams ReadQuery(const RequestContext& ctx, const usecases::QueryShape& shape) {
  Poco::URI::QueryParameters parameters;
  try {
    parameters = Poco::URI(ctx.request.getURI()).getQueryParameters();
  } catch (const Poco::Exception& e) {
    throw AppError(ErrorCode::kBadRequest, "the query string is not valid percent-encoding",
                   e.displayText(), {}, "malformed_query");
  }
  return usecases::AcceptParams(shape, parameters);
}

usecases::EventSearch ReadEventSearch(const RequestContext& ctx,
                                      const usecases::QueryShape& shape) {
  return ReadFormatted<usecases::EventSearch>(ctx, shape);
}

usecases::ReportRequest ReadReportRequest(const RequestContext& ctx,
                                          const usecases::QueryShape& shape) {
  return ReadFormatted<usecases::ReportRequest>(ctx, shape);
}

void StreamEvents(RequestContext& ctx, const usecases::EventSearch& search,
                  const std::string& filename,
                  const std::function<usecases::EventPage(const usecases::EventSink&)>& run) {
  if (search.format == Format::kJson) {
    StreamingBody body(ctx, "application/json");
    body.buffer() += "{\"items\":[";
    bool first = true;
    const usecases::EventPage page = run([&](const domain::SealedAuditEvent& e) {
      if (!first) body.buffer().push_back(',');
      first = false;
      domain::AppendAuditJson(body.buffer(), e);
      body.MaybeFlush();
    });
    body.buffer() += "],\"next_cursor\":";
    body.buffer() += page.more ? "\"" + std::to_string(page.last_seq) + "\"" : std::string("null");
    body.buffer() += "}";
    body.Finish();
    return;
  }
  const bool csv = search.format == Format::kCsv;
  StreamingBody body(ctx, csv ? "text/csv; charset=utf-8; header=present" : "application/x-ndjson",
                     csv ? "attachment; filename=\"" + filename + ".csv\"" : "");
  if (csv) body.buffer() += domain::AuditCsvHeader();
  run([&](const domain::SealedAuditEvent& e) {
    if (csv) {
      domain::AppendAuditCsv(body.buffer(), e);
    } else {
      domain::AppendAuditJson(body.buffer(), e);
      body.buffer().push_back('\n');
    }
    body.MaybeFlush();
  });
  body.Finish();
}

StreamingBody::StreamingBody(RequestContext& ctx, std::string content_type, std::string disposition)
    : ctx_(ctx), content_type_(std::move(content_type)), disposition_(std::move(disposition)) {
  buffer_.reserve(kAuditFlushBytes + 8192);
}

void StreamingBody::SendHead(bool chunked) {
  ctx_.status = 200;
  ctx_.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
  ctx_.response.setContentType(content_type_);
  if (!disposition_.empty()) ctx_.response.set("Content-Disposition", disposition_);
  if (chunked) {
    ctx_.response.setChunkedTransferEncoding(true);
  } else {
    ctx_.response.setContentLength64(static_cast<Poco::Int64>(buffer_.size()));
  }
  out_ = &ctx_.response.send();
}

void StreamingBody::SendBuffer() {
  if (out_ == nullptr) SendHead(true);
  out_->write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  out_->flush();
  buffer_.clear();
  if (!out_->good()) {
    throw AppError(ErrorCode::kUnavailable, "the caller stopped reading",
                   "client went away during a streamed answer", {}, "client_gone");
  }
}

void StreamingBody::MaybeFlush() {
  if (buffer_.size() >= kAuditFlushBytes) SendBuffer();
}

void StreamingBody::Finish() {
  if (out_ == nullptr) {
    SendHead(false);
    out_->write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
    return;
  }
  if (!buffer_.empty()) SendBuffer();
}

Poco::JSON::Object ChainReportJson(const domain::ChainReport& v) {
  Poco::JSON::Object out = AuditObject({{"intact", v.intact},
                                        {"checked", v.checked},
                                        {"first_seq", v.first_seq},
                                        {"last_seq", v.last_seq},
                                        {"checkpoints_checked", v.checkpoints_checked},
                                        {"checkpoints_unverifiable", v.checkpoints_unverifiable},
                                        {"pruned_through", v.pruned_through}});
  if (!v.intact) {
    out.set("broken_seq", OrNull(v.broken_seq));
    if (v.broken_checkpoint_id) out.set("broken_checkpoint_id", *v.broken_checkpoint_id);
    out.set("reason", v.reason);
    out.set("expected_hash", v.expected_hash);
    out.set("found_hash", v.found_hash);
  }
  return out;
}

Poco::JSON::Object ChainCheckJson(const usecases::ChainCheck& check) {
  Poco::JSON::Object body = ChainReportJson(check.report);
  if (check.empty_range) {
    body.set("range", "no events in the time range");
  } else {
    body.set("signature_key_id", OrNull(check.signature_key_id));
  }
  return body;
}

Poco::JSON::Object CheckpointJson(const domain::Checkpoint& c) {
  return AuditObject({{"id", c.id},
                      {"seq", c.seq},
                      {"head_hash", c.head_hash},
                      {"event_count", c.event_count},
                      {"kind", c.kind},
                      {"day", NullIfEmpty(c.day)},
                      {"created_at", c.created_at},
                      {"created_by", c.created_by},
                      {"algorithm", c.algorithm},
                      {"key_id", c.key_id},
                      {"payload", c.payload},
                      {"signature", c.signature}});
}

Poco::JSON::Object CheckpointPageJson(const usecases::CheckpointPage& page) {
  Poco::JSON::Object body;
  body.set("items", AuditArray(page.items, CheckpointJson));
  body.set("next_cursor", OrNull(page.next_cursor));
  if (page.key) {
    body.set("public_key", AuditObject({{"key_id", page.key->key_id},
                                        {"algorithm", page.key->algorithm},
                                        {"public_key_pem", page.key->public_key_pem}}));
  } else {
    body.set("public_key", AuditVar());
  }
  return body;
}

Poco::JSON::Object ReportJson(const domain::ReportPeriod& period,
                              const domain::OnboardingReport& r) {
  Poco::JSON::Object body = PeriodJson(period);
  Poco::JSON::Object cases;
  int64_t total = 0;
  for (const auto& [state, n] : r.cases_by_state) {
    cases.set(state, n);
    total += n;
  }
  body.set("cases_by_state", cases);
  body.set("cases_opened", total);
  body.set("production_orders", AuditObject({{"submitted", r.orders_submitted},
                                             {"approved", r.orders_approved},
                                             {"rejected", r.orders_rejected}}));
  body.set("time_to_production", AuditObject({{"approvals_measured", r.approvals_measured},
                                              {"median_s", OrNull(r.median_time_to_production_s)},
                                              {"p90_s", OrNull(r.p90_time_to_production_s)}}));
  const auto orders = AuditArray(r.orders_waiting, [](const domain::WaitingOrder& w) {
    return AuditObject({{"order_id", w.id},
                        {"organisation", w.organisation},
                        {"submitted_at", w.submitted_at},
                        {"age_s", w.age_s}});
  });
  const auto& waiting = r.orders_waiting;
  body.set("orders_waiting",
           AuditObject(
               {{"as_of", domain::Rfc3339FromMicros(r.as_of_us)},
                {"count", static_cast<int64_t>(waiting.size())},
                {"orders", orders},
                {"oldest_age_s", waiting.empty() ? AuditVar() : AuditVar(waiting.front().age_s)}}));
  return body;
}

Poco::JSON::Object ReportJson(const domain::ReportPeriod& period, const domain::AccessReport& r) {
  Poco::JSON::Object body = PeriodJson(period);
  body.set("actions_per_actor", AuditArray(r.actions, [](const domain::ActorActions& a) {
             return AuditObject({{"actor", a.actor},
                                 {"role", a.role},
                                 {"actions", a.actions},
                                 {"not_successful", a.not_successful}});
           }));
  if (!r.refusals_included) {
    body.set("refused_requests", AuditVar());
    return body;
  }
  body.set("refused_requests", AuditArray(r.refusals, [](const domain::TokenRefusals& t) {
             return AuditObject({{"token", t.token_key},
                                 {"token_name", t.token_name},
                                 {"role", t.role},
                                 {"status", t.status},
                                 {"count", t.count}});
           }));
  return body;
}

Poco::JSON::Object ReportJson(const domain::ReportPeriod& period,
                              const domain::CredentialsReport& r) {
  Poco::JSON::Object body = PeriodJson(period);
  body.set("secrets",
           AuditObject({{"issued", r.issued}, {"rotated", r.rotated}, {"revoked", r.revoked}}));
  body.set("expiring_within_days", r.expiring_within_days);
  body.set("secrets_expiring", AuditArray(r.expiring, [](const domain::ExpiringSecret& e) {
             return AuditObject({{"client_id", e.client_id},
                                 {"secret_id", e.secret_id},
                                 {"organisation", e.organisation},
                                 {"environment", e.environment},
                                 {"expires_at", e.expires_at},
                                 {"days_left", e.days_left},
                                 {"superseded", e.superseded}});
           }));
  const auto certificate = [](const domain::ExpiringCertificate& c) {
    return AuditObject({{"client_id", c.client_id},
                        {"key_id", c.key_id},
                        {"kid", c.kid},
                        {"organisation", c.organisation},
                        {"environment", c.environment},
                        {"subject", c.subject},
                        {"certificate_orgno", c.certificate_orgno},
                        {"issuer", c.issuer},
                        {"serial", c.serial},
                        {"thumbprint", c.thumbprint},
                        {"not_after", c.not_after},
                        {"days_left", c.days_left}});
  };
  body.set("certificates_expiring", AuditArray(r.certificates_expiring, certificate));
  body.set("clients_using_rotated_secret",
           AuditArray(r.rotated_in_use, [](const domain::RotatedSecretInUse& u) {
             return AuditObject({{"client_id", u.client_id},
                                 {"secret_id", u.secret_id},
                                 {"organisation", u.organisation},
                                 {"superseded_at", u.superseded_at},
                                 {"last_used_at", u.last_used_at},
                                 {"expires_at", u.expires_at}});
           }));
  return body;
}

Poco::JSON::Object ReportJson(const domain::ReportPeriod& period,
                              const domain::DeliveriesReport& r) {
  Poco::JSON::Object body = PeriodJson(period);
  body.set("sms", AuditObject({{"succeeded", r.sms_succeeded},
                               {"failed", r.sms_failed},
                               {"pending", r.sms_pending},
                               {"success_rate", SuccessRate(r.sms_succeeded, r.sms_failed)}}));
  body.set("email", AuditObject({{"sent", r.email_sent},
                                 {"failed", r.email_failed},
                                 {"pending", r.email_pending},
                                 {"success_rate", SuccessRate(r.email_sent, r.email_failed)}}));
  body.set("failures_by_code", AuditArray(r.failures, [](const domain::FailureCount& f) {
             return AuditObject({{"channel", f.channel}, {"code", f.code}, {"count", f.count}});
           }));
  body.set("packages_never_fetched", AuditArray(r.never_fetched, [](const auto& u) {
             return AuditObject({{"delivery_id", u.delivery_id},
                                 {"client_id", u.client_id},
                                 {"organisation", u.organisation},
                                 {"package_state", u.state},
                                 {"created_at", u.created_at},
                                 {"package_expires_at", u.expires_at}});
           }));
  body.set("second_download_alarms", AuditArray(r.second_downloads, [](const auto& a) {
             return AuditObject({{"seq", a.seq},
                                 {"delivery_id", a.delivery_id},
                                 {"organisation", a.organisation},
                                 {"occurred_at", a.occurred_at},
                                 {"source_ip", a.source_ip}});
           }));
  return body;
}

Poco::JSON::Object ReportJson(const usecases::MonthlyReport& m) {
  Poco::JSON::Object body = PeriodJson(m.period);
  body.set("onboarding", ReportJson(m.period, m.onboarding));
  body.set("access", ReportJson(m.period, m.access));
  body.set("credentials", ReportJson(m.period, m.credentials));
  body.set("deliveries", ReportJson(m.period, m.deliveries));
  return body;
}

std::string ReportCsv(const domain::OnboardingReport& r) {
  ReportCsvWriter csv;
  for (const auto& [state, n] : r.cases_by_state)
    csv.Row("cases_by_state", state, std::to_string(n));
  csv.Counts("production_orders", {{"submitted", r.orders_submitted},
                                   {"approved", r.orders_approved},
                                   {"rejected", r.orders_rejected}});
  const auto seconds = [](const std::optional<double>& s) {
    return s ? FixedDecimals(*s, 3) : std::string();
  };
  csv.Counts("time_to_production", {{"approvals_measured", r.approvals_measured}})
      .Row("time_to_production", "median_s", seconds(r.median_time_to_production_s))
      .Row("time_to_production", "p90_s", seconds(r.p90_time_to_production_s))
      .Row("orders_waiting", "count", std::to_string(r.orders_waiting.size()));
  for (const auto& w : r.orders_waiting)
    csv.Row("orders_waiting_age_s", w.id, std::to_string(w.age_s));
  return csv.Text();
}

std::string ReportCsv(const domain::AccessReport& r) {
  ReportCsvWriter csv;
  for (const auto& a : r.actions)
    csv.Row("actions_per_actor", a.actor + " (" + a.role + ")", std::to_string(a.actions));
  for (const auto& t : r.refusals) {
    csv.Row("refused_requests_" + std::to_string(t.status),
            t.token_key + (t.token_name.empty() ? "" : " (" + t.token_name + ")"),
            std::to_string(t.count));
  }
  return csv.Text();
}

std::string ReportCsv(const domain::CredentialsReport& r) {
  ReportCsvWriter csv;
  csv.Counts("secrets", {{"issued", r.issued}, {"rotated", r.rotated}, {"revoked", r.revoked}});
  for (const auto& e : r.expiring)
    csv.Row("secret_expiring_days_left", e.client_id, std::to_string(e.days_left));
  for (const auto& c : r.certificates_expiring) {
    const std::string key = c.client_id + " (" + c.kid + ")";
    csv.Row("certificate_expiring_days_left", key, std::to_string(c.days_left))
        .Row("certificate_expiring_not_after", key, c.not_after);
  }
  for (const auto& u : r.rotated_in_use)
    csv.Row("rotated_secret_in_use", u.client_id, u.last_used_at);
  return csv.Text();
}

std::string ReportCsv(const domain::DeliveriesReport& r) {
  ReportCsvWriter csv;
  csv.Counts(
      "sms",
      {{"succeeded", r.sms_succeeded}, {"failed", r.sms_failed}, {"pending", r.sms_pending}});
  csv.Counts("email",
             {{"sent", r.email_sent}, {"failed", r.email_failed}, {"pending", r.email_pending}});
  for (const auto& f : r.failures)
    csv.Row("failures_" + f.channel, f.code, std::to_string(f.count));
  for (const auto& u : r.never_fetched) csv.Row("package_never_fetched", u.delivery_id, u.state);
  for (const auto& a : r.second_downloads)
    csv.Row("second_download_alarm", a.delivery_id, a.occurred_at);
  return csv.Text();
}

std::string ReportCsv(const usecases::MonthlyReport& m) {
  std::string csv = ReportCsv(m.onboarding);
  for (const std::string& more :
       {ReportCsv(m.access), ReportCsv(m.credentials), ReportCsv(m.deliveries)}) {
    csv += more.substr(more.find("\r\n") + 2);  // one header line
  }
  return csv;
}

// ---- the monthly report's HTML page ----

namespace {

using kainjow::mustache::data;
using MustacheMembers = std::initializer_list<std::pair<std::string, data>>;

data MustacheObject(MustacheMembers members) {
  data d;
  for (const auto& [name, value] : members) d.set(name, value);
  return d;
}

template <class Row, class ToData>
data MustacheList(const std::vector<Row>& rows, ToData to_data) {
  data list{data::type::list};
  for (const Row& row : rows) list.push_back(to_data(row));
  return list;
}

std::string AuditTemplate(std::string_view name) {
  for (const auto& f : EmbeddedAuditTemplates()) {
    if (f.name == name) return std::string(f.content);
  }
  throw AppError(ErrorCode::kInternal, "internal error", "missing template " + std::string(name));
}

std::string DaysOrDash(const std::optional<double>& seconds) {
  return seconds ? FixedDecimals(*seconds / 86400.0, 2) : "–";
}

std::string PercentOrDash(int64_t ok, int64_t failed) {
  if (ok + failed == 0) return "–";
  return FixedDecimals(100.0 * static_cast<double>(ok) / static_cast<double>(ok + failed), 1);
}

// A horizontal bar chart: bar lengths proportional to the values, the longest 300 px.
data BarChart(const std::string& id, const std::string& title,
              const std::vector<std::pair<std::string, int64_t>>& rows) {
  int64_t max = 1;
  for (const auto& [label, v] : rows) max = std::max(max, v);
  constexpr int kLabelWidth = 220, kMaxBar = 300, kRow = 22;
  data bars{data::type::list};
  int i = 0;
  for (const auto& [label, v] : rows) {
    const int width =
        static_cast<int>(std::lround(static_cast<double>(v) * kMaxBar / static_cast<double>(max)));
    bars.push_back(MustacheObject({{"label", label},
                                   {"value", std::to_string(v)},
                                   {"y", std::to_string(i * kRow + 4)},
                                   {"text_y", std::to_string(i * kRow + 17)},
                                   {"bar_x", std::to_string(kLabelWidth)},
                                   {"bar_width", std::to_string(width)},
                                   {"value_x", std::to_string(kLabelWidth + width + 6)}}));
    ++i;
  }
  return MustacheObject({{"chart_id", id},
                         {"title", title},
                         {"bars", bars},
                         {"width", std::to_string(kLabelWidth + kMaxBar + 60)},
                         {"height", std::to_string(std::max(1, i) * kRow + 8)}});
}

void SetOnboardingData(data& d, const domain::OnboardingReport& o) {
  int64_t opened = 0;
  for (const auto& [s, n] : o.cases_by_state) opened += n;
  const auto waiting = MustacheList(o.orders_waiting, [](const domain::WaitingOrder& w) {
    return MustacheObject({{"id", w.id},
                           {"organisation", w.organisation},
                           {"submitted_at", w.submitted_at},
                           {"age_days", FixedDecimals(static_cast<double>(w.age_s) / 86400.0, 1)}});
  });
  for (const auto& [name, value] : MustacheMembers{
           {"cases_opened", std::to_string(opened)},
           {"cases_chart", BarChart("chart-cases", "Cases opened, by state now", o.cases_by_state)},
           {"orders_submitted", std::to_string(o.orders_submitted)},
           {"orders_approved", std::to_string(o.orders_approved)},
           {"orders_rejected", std::to_string(o.orders_rejected)},
           {"orders_chart", BarChart("chart-orders", "Production orders",
                                     {{"submitted", o.orders_submitted},
                                      {"approved", o.orders_approved},
                                      {"rejected", o.orders_rejected}})},
           {"approvals_measured", std::to_string(o.approvals_measured)},
           {"median_days", DaysOrDash(o.median_time_to_production_s)},
           {"p90_days", DaysOrDash(o.p90_time_to_production_s)},
           {"as_of", domain::Rfc3339FromMicros(o.as_of_us)},
           {"waiting_count", std::to_string(o.orders_waiting.size())},
           {"has_waiting", !o.orders_waiting.empty()},
           {"waiting", waiting}}) {
    d.set(name, value);
  }
}

void SetAccessData(data& d, const domain::AccessReport& a) {
  std::vector<std::pair<std::string, int64_t>> top;
  for (const auto& x : a.actions) {
    if (top.size() < 10) top.emplace_back(x.actor + " (" + x.role + ")", x.actions);
  }
  d.set("actions", MustacheList(a.actions, [](const domain::ActorActions& x) {
          return MustacheObject({{"actor", x.actor},
                                 {"role", x.role},
                                 {"actions", std::to_string(x.actions)},
                                 {"not_successful", std::to_string(x.not_successful)}});
        }));
  d.set("actions_chart", BarChart("chart-actions", "Actions per actor (top 10)", top));
  d.set("refusals_included", a.refusals_included);
  d.set("refusals", MustacheList(a.refusals, [](const domain::TokenRefusals& t) {
          return MustacheObject({{"token", t.token_key},
                                 {"token_name", t.token_name},
                                 {"status", std::to_string(t.status)},
                                 {"count", std::to_string(t.count)}});
        }));
}

void SetCredentialsData(data& d, const domain::CredentialsReport& c) {
  d.set("secrets_issued", std::to_string(c.issued));
  d.set("secrets_rotated", std::to_string(c.rotated));
  d.set("secrets_revoked", std::to_string(c.revoked));
  d.set("expiring_within_days", std::to_string(c.expiring_within_days));
  d.set("secrets_expiring_count", std::to_string(c.expiring.size()));
  d.set("certificates_expiring_count", std::to_string(c.certificates_expiring.size()));
  d.set("rotated_in_use_count", std::to_string(c.rotated_in_use.size()));
  d.set("has_secrets_expiring", !c.expiring.empty());
  d.set("secrets_expiring", MustacheList(c.expiring, [](const domain::ExpiringSecret& e) {
          return MustacheObject({{"client_id", e.client_id},
                                 {"organisation", e.organisation},
                                 {"environment", e.environment},
                                 {"expires_at", e.expires_at},
                                 {"days_left", std::to_string(e.days_left)}});
        }));
  d.set("has_certificates_expiring", !c.certificates_expiring.empty());
  const auto certificate = [](const domain::ExpiringCertificate& e) {
    return MustacheObject({{"client_id", e.client_id},
                           {"organisation", e.organisation},
                           {"environment", e.environment},
                           {"kid", e.kid},
                           {"subject", e.subject},
                           {"certificate_orgno", e.certificate_orgno},
                           {"not_after", e.not_after},
                           {"days_left", std::to_string(e.days_left)}});
  };
  d.set("certificates_expiring", MustacheList(c.certificates_expiring, certificate));
}

void SetDeliveriesData(data& d, const domain::DeliveriesReport& r) {
  const auto count = [&](const char* name, int64_t n) { d.set(name, std::to_string(n)); };
  count("sms_succeeded", r.sms_succeeded);
  count("sms_failed", r.sms_failed);
  count("sms_pending", r.sms_pending);
  d.set("sms_success_pct", PercentOrDash(r.sms_succeeded, r.sms_failed));
  count("email_sent", r.email_sent);
  count("email_failed", r.email_failed);
  count("email_pending", r.email_pending);
  d.set("email_success_pct", PercentOrDash(r.email_sent, r.email_failed));
  d.set("deliveries_chart", BarChart("chart-deliveries", "SMS and e-mail outcomes",
                                     {{"SMS succeeded", r.sms_succeeded},
                                      {"SMS failed", r.sms_failed},
                                      {"e-mail sent", r.email_sent},
                                      {"e-mail failed", r.email_failed}}));
  d.set("has_failures", !r.failures.empty());
  d.set("failures", MustacheList(r.failures, [](const domain::FailureCount& f) {
          return MustacheObject(
              {{"channel", f.channel}, {"code", f.code}, {"count", std::to_string(f.count)}});
        }));
  d.set("never_fetched_count", std::to_string(r.never_fetched.size()));
  d.set("second_downloads_count", std::to_string(r.second_downloads.size()));
}

}  // namespace

std::string MonthlyReportHtml(const usecases::MonthlyReport& m) {
  data d;
  d.set("period_label", m.label);
  d.set("from", domain::Rfc3339FromMicros(m.period.from_us));
  d.set("to", domain::Rfc3339FromMicros(m.period.to_us));
  d.set("organisation", m.period.organisation.empty() ? data(false) : data(m.period.organisation));
  d.set("generated_at",
        domain::Rfc3339FromMicros(std::chrono::duration_cast<std::chrono::microseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count()));
  SetOnboardingData(d, m.onboarding);
  SetAccessData(d, m.access);
  SetCredentialsData(d, m.credentials);
  SetDeliveriesData(d, m.deliveries);
  d.set("chart",
        kainjow::mustache::partial([] { return AuditTemplate("audit_bar_chart.svg.mustache"); }));
  // Compiled per request (a few microseconds): a kainjow template is not safe to share
  // between threads while rendering.
  kainjow::mustache::mustache report(AuditTemplate("audit_monthly_report.html.mustache"));
  std::string html = report.render(d);
  if (!report.is_valid()) {
    throw AppError(ErrorCode::kInternal, "internal error",
                   "report template: " + report.error_message());
  }
  return html;
}

}  // namespace onboard::http::audit
