#include "audit_documents.hpp"

#include <Poco/JSON/Array.h>
#include <kainjow/mustache.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "audit_export.hpp"
#include "embedded_file.hpp"
#include "error.hpp"

namespace onboard::usecases {

const std::vector<onboard::EmbeddedFile>& EmbeddedAuditTemplates();

// Not in a unity batch (usecases/CMakeLists.txt): these helpers' short names stay local.
namespace {

using AuditVar = Poco::Dynamic::Var;
using kainjow::mustache::data;
/// Named counts, in the order every rendering shows them: a report's JSON object, its CSV
/// rows, the HTML page's figures and bar charts all read the same table.
using NamedCounts = std::vector<std::pair<std::string, int64_t>>;

// The member names of an object, given space separated; they pair up with its values.
std::vector<std::string> MemberNames(std::string_view names, std::size_t values) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at <= names.size();) {
    const std::size_t end = std::min(names.find(' ', at), names.size());
    out.emplace_back(names.substr(at, end - at));
    at = end + 1;
  }
  if (out.size() != values) {
    throw AppError(ErrorCode::kInternal, "internal error",
                   "rendering: names and values differ for " + std::string(names));
  }
  return out;
}

// An object (a JSON object, or a mustache object) from its member names (space separated)
// and values, in that order.
template <class Object, class Value, class... Values>
Object Members(std::string_view names, const Values&... values) {
  const Value vars[] = {Value(values)...};
  const std::vector<std::string> keys = MemberNames(names, sizeof...(values));
  Object o;
  for (std::size_t i = 0; i < keys.size(); ++i) o.set(keys[i], vars[i]);
  return o;
}

template <class... Values>
Poco::JSON::Object AuditObject(std::string_view names, const Values&... values) {
  return Members<Poco::JSON::Object, AuditVar>(names, values...);
}

template <class... Values>
data MustacheObject(std::string_view names, const Values&... values) {
  return Members<data, data>(names, values...);
}

// A JSON array, or a mustache list, with one object per row.
template <class Row, class ToJson>
Poco::JSON::Array AuditArray(const std::vector<Row>& rows, ToJson to_json) {
  Poco::JSON::Array a;
  for (const Row& row : rows) a.add(to_json(row));
  return a;
}

template <class Row, class ToData>
data MustacheList(const std::vector<Row>& rows, ToData to_data) {
  data list{data::type::list};
  for (const Row& row : rows) list.push_back(to_data(row));
  return list;
}

Poco::JSON::Object CountsObject(const NamedCounts& counts) {
  Poco::JSON::Object o;
  for (const auto& [name, n] : counts) o.set(name, n);
  return o;
}

NamedCounts OrderCounts(const domain::OnboardingReport& r) {
  return {{"submitted", r.orders_submitted},
          {"approved", r.orders_approved},
          {"rejected", r.orders_rejected}};
}

NamedCounts SecretCounts(const domain::CredentialsReport& r) {
  return {{"issued", r.issued}, {"rotated", r.rotated}, {"revoked", r.revoked}};
}

NamedCounts SmsCounts(const domain::DeliveriesReport& r) {
  return {{"succeeded", r.sms_succeeded}, {"failed", r.sms_failed}, {"pending", r.sms_pending}};
}

NamedCounts EmailCounts(const domain::DeliveriesReport& r) {
  return {{"sent", r.email_sent}, {"failed", r.email_failed}, {"pending", r.email_pending}};
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
  ReportCsvWriter& Counts(std::string_view section, const NamedCounts& counts) {
    for (const auto& [key, n] : counts) Row(section, key, std::to_string(n));
    return *this;
  }
  std::string Text() { return std::move(out_); }

 private:
  std::string out_ = "section,key,value\r\n";
};

Poco::JSON::Object PeriodJson(const domain::ReportPeriod& period) {
  return AuditObject("from to organisation", domain::Rfc3339FromMicros(period.from_us),
                     domain::Rfc3339FromMicros(period.to_us), NullIfEmpty(period.organisation));
}

Poco::JSON::Object ExpiringCertificateJson(const domain::ExpiringCertificate& c) {
  return AuditObject(
      "client_id key_id kid organisation environment subject certificate_orgno issuer serial "
      "thumbprint not_after days_left",
      c.client_id, c.key_id, c.kid, c.organisation, c.environment, c.subject, c.certificate_orgno,
      c.issuer, c.serial, c.thumbprint, c.not_after, c.days_left);
}

}  // namespace

Poco::JSON::Object ChainReportJson(const domain::ChainReport& v) {
  Poco::JSON::Object out = AuditObject(
      "intact checked first_seq last_seq checkpoints_checked checkpoints_unverifiable "
      "pruned_through",
      v.intact, v.checked, v.first_seq, v.last_seq, v.checkpoints_checked,
      v.checkpoints_unverifiable, v.pruned_through);
  if (!v.intact) {
    out.set("broken_seq", OrNull(v.broken_seq));
    if (v.broken_checkpoint_id) out.set("broken_checkpoint_id", *v.broken_checkpoint_id);
    out.set("reason", v.reason);
    out.set("expected_hash", v.expected_hash);
    out.set("found_hash", v.found_hash);
  }
  return out;
}

Poco::JSON::Object ChainCheckJson(const ChainCheck& check) {
  Poco::JSON::Object body = ChainReportJson(check.report);
  if (check.empty_range) {
    body.set("range", "no events in the time range");
  } else {
    body.set("signature_key_id", OrNull(check.signature_key_id));
  }
  return body;
}

Poco::JSON::Object CheckpointJson(const domain::Checkpoint& c) {
  return AuditObject(
      "id seq head_hash event_count kind day created_at created_by algorithm key_id payload "
      "signature",
      c.id, c.seq, c.head_hash, c.event_count, c.kind, NullIfEmpty(c.day), c.created_at,
      c.created_by, c.algorithm, c.key_id, c.payload, c.signature);
}

Poco::JSON::Object CheckpointPageJson(const CheckpointPage& page) {
  Poco::JSON::Object body;
  body.set("items", AuditArray(page.items, CheckpointJson));
  body.set("next_cursor", OrNull(page.next_cursor));
  if (page.key) {
    body.set("public_key", AuditObject("key_id algorithm public_key_pem", page.key->key_id,
                                       page.key->algorithm, page.key->public_key_pem));
  } else {
    body.set("public_key", AuditVar());
  }
  return body;
}

Poco::JSON::Object ReportJson(const domain::ReportPeriod& period,
                              const domain::OnboardingReport& r) {
  Poco::JSON::Object body = PeriodJson(period);
  int64_t total = 0;
  for (const auto& [state, n] : r.cases_by_state) total += n;
  body.set("cases_by_state", CountsObject(r.cases_by_state));
  body.set("cases_opened", total);
  body.set("production_orders", CountsObject(OrderCounts(r)));
  body.set("time_to_production",
           AuditObject("approvals_measured median_s p90_s", r.approvals_measured,
                       OrNull(r.median_time_to_production_s), OrNull(r.p90_time_to_production_s)));
  const auto orders = AuditArray(r.orders_waiting, [](const domain::WaitingOrder& w) {
    return AuditObject("order_id organisation submitted_at age_s", w.id, w.organisation,
                       w.submitted_at, w.age_s);
  });
  const auto& waiting = r.orders_waiting;
  body.set("orders_waiting",
           AuditObject("as_of count orders oldest_age_s", domain::Rfc3339FromMicros(r.as_of_us),
                       static_cast<int64_t>(waiting.size()), orders,
                       waiting.empty() ? AuditVar() : AuditVar(waiting.front().age_s)));
  return body;
}

Poco::JSON::Object ReportJson(const domain::ReportPeriod& period, const domain::AccessReport& r) {
  Poco::JSON::Object body = PeriodJson(period);
  body.set("actions_per_actor", AuditArray(r.actions, [](const domain::ActorActions& a) {
             return AuditObject("actor role actions not_successful", a.actor, a.role, a.actions,
                                a.not_successful);
           }));
  if (!r.refusals_included) {
    body.set("refused_requests", AuditVar());
    return body;
  }
  body.set("refused_requests", AuditArray(r.refusals, [](const domain::TokenRefusals& t) {
             return AuditObject("token token_name role status count", t.token_key, t.token_name,
                                t.role, t.status, t.count);
           }));
  return body;
}

Poco::JSON::Object ReportJson(const domain::ReportPeriod& period,
                              const domain::CredentialsReport& r) {
  Poco::JSON::Object body = PeriodJson(period);
  body.set("secrets", CountsObject(SecretCounts(r)));
  body.set("expiring_within_days", r.expiring_within_days);
  body.set("secrets_expiring", AuditArray(r.expiring, [](const domain::ExpiringSecret& e) {
             return AuditObject(
                 "client_id secret_id organisation environment expires_at days_left superseded",
                 e.client_id, e.secret_id, e.organisation, e.environment, e.expires_at, e.days_left,
                 e.superseded);
           }));
  body.set("certificates_expiring", AuditArray(r.certificates_expiring, ExpiringCertificateJson));
  body.set("clients_using_rotated_secret",
           AuditArray(r.rotated_in_use, [](const domain::RotatedSecretInUse& u) {
             return AuditObject(
                 "client_id secret_id organisation superseded_at last_used_at expires_at",
                 u.client_id, u.secret_id, u.organisation, u.superseded_at, u.last_used_at,
                 u.expires_at);
           }));
  return body;
}

Poco::JSON::Object ReportJson(const domain::ReportPeriod& period,
                              const domain::DeliveriesReport& r) {
  Poco::JSON::Object body = PeriodJson(period);
  Poco::JSON::Object sms = CountsObject(SmsCounts(r));
  sms.set("success_rate", SuccessRate(r.sms_succeeded, r.sms_failed));
  body.set("sms", sms);
  Poco::JSON::Object email = CountsObject(EmailCounts(r));
  email.set("success_rate", SuccessRate(r.email_sent, r.email_failed));
  body.set("email", email);
  body.set("failures_by_code", AuditArray(r.failures, [](const domain::FailureCount& f) {
             return AuditObject("channel code count", f.channel, f.code, f.count);
           }));
  body.set("packages_never_fetched", AuditArray(r.never_fetched, [](const auto& u) {
             return AuditObject(
                 "delivery_id client_id organisation package_state created_at package_expires_at",
                 u.delivery_id, u.client_id, u.organisation, u.state, u.created_at, u.expires_at);
           }));
  body.set("second_download_alarms", AuditArray(r.second_downloads, [](const auto& a) {
             return AuditObject("seq delivery_id organisation occurred_at source_ip", a.seq,
                                a.delivery_id, a.organisation, a.occurred_at, a.source_ip);
           }));
  return body;
}

Poco::JSON::Object ReportJson(const MonthlyReport& m) {
  Poco::JSON::Object body = PeriodJson(m.period);
  body.set("onboarding", ReportJson(m.period, m.onboarding));
  body.set("access", ReportJson(m.period, m.access));
  body.set("credentials", ReportJson(m.period, m.credentials));
  body.set("deliveries", ReportJson(m.period, m.deliveries));
  return body;
}

std::string ReportCsv(const domain::OnboardingReport& r) {
  ReportCsvWriter csv;
  csv.Counts("cases_by_state", r.cases_by_state).Counts("production_orders", OrderCounts(r));
  const auto seconds = [](const std::optional<double>& s) {
    return s ? FixedDecimals(*s, 3) : std::string();
  };
  csv.Row("time_to_production", "approvals_measured", std::to_string(r.approvals_measured))
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
  csv.Counts("secrets", SecretCounts(r));
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
  csv.Counts("sms", SmsCounts(r)).Counts("email", EmailCounts(r));
  for (const auto& f : r.failures)
    csv.Row("failures_" + f.channel, f.code, std::to_string(f.count));
  for (const auto& u : r.never_fetched) csv.Row("package_never_fetched", u.delivery_id, u.state);
  for (const auto& a : r.second_downloads)
    csv.Row("second_download_alarm", a.delivery_id, a.occurred_at);
  return csv.Text();
}

std::string ReportCsv(const MonthlyReport& m) {
  std::string csv = ReportCsv(m.onboarding);
  for (const std::string& more :
       {ReportCsv(m.access), ReportCsv(m.credentials), ReportCsv(m.deliveries)}) {
    csv += more.substr(more.find("\r\n") + 2);  // one header line
  }
  return csv;
}

// The monthly report's HTML page.
namespace {

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

// The counts as page figures named `<prefix><name>`.
void SetCounts(data& d, const std::string& prefix, const NamedCounts& counts) {
  for (const auto& [name, n] : counts) d.set(prefix + name, std::to_string(n));
}

// A horizontal bar chart: bar lengths proportional to the values, the longest 300 px.
data BarChart(const std::string& id, const std::string& title, const NamedCounts& rows) {
  int64_t max = 1;
  for (const auto& [label, v] : rows) max = std::max(max, v);
  constexpr int kLabelWidth = 220, kMaxBar = 300, kRow = 22;
  data bars{data::type::list};
  int i = 0;
  for (const auto& [label, v] : rows) {
    const int width =
        static_cast<int>(std::lround(static_cast<double>(v) * kMaxBar / static_cast<double>(max)));
    bars.push_back(MustacheObject("label value y text_y bar_x bar_width value_x", label,
                                  std::to_string(v), std::to_string(i * kRow + 4),
                                  std::to_string(i * kRow + 17), std::to_string(kLabelWidth),
                                  std::to_string(width), std::to_string(kLabelWidth + width + 6)));
    ++i;
  }
  return MustacheObject("chart_id title bars width height", id, title, bars,
                        std::to_string(kLabelWidth + kMaxBar + 60),
                        std::to_string(std::max(1, i) * kRow + 8));
}

void SetOnboardingData(data& d, const domain::OnboardingReport& o) {
  int64_t opened = 0;
  for (const auto& [s, n] : o.cases_by_state) opened += n;
  SetCounts(d, "orders_", OrderCounts(o));
  d.set("cases_opened", std::to_string(opened));
  d.set("cases_chart", BarChart("chart-cases", "Cases opened, by state now", o.cases_by_state));
  d.set("orders_chart", BarChart("chart-orders", "Production orders", OrderCounts(o)));
  d.set("approvals_measured", std::to_string(o.approvals_measured));
  d.set("median_days", DaysOrDash(o.median_time_to_production_s));
  d.set("p90_days", DaysOrDash(o.p90_time_to_production_s));
  d.set("as_of", domain::Rfc3339FromMicros(o.as_of_us));
  d.set("waiting_count", std::to_string(o.orders_waiting.size()));
  d.set("has_waiting", !o.orders_waiting.empty());
  d.set("waiting", MustacheList(o.orders_waiting, [](const domain::WaitingOrder& w) {
          return MustacheObject("id organisation submitted_at age_days", w.id, w.organisation,
                                w.submitted_at,
                                FixedDecimals(static_cast<double>(w.age_s) / 86400.0, 1));
        }));
}

void SetAccessData(data& d, const domain::AccessReport& a) {
  NamedCounts top;
  for (const auto& x : a.actions) {
    if (top.size() < 10) top.emplace_back(x.actor + " (" + x.role + ")", x.actions);
  }
  d.set("actions", MustacheList(a.actions, [](const domain::ActorActions& x) {
          return MustacheObject("actor role actions not_successful", x.actor, x.role,
                                std::to_string(x.actions), std::to_string(x.not_successful));
        }));
  d.set("actions_chart", BarChart("chart-actions", "Actions per actor (top 10)", top));
  d.set("refusals_included", a.refusals_included);
  d.set("refusals", MustacheList(a.refusals, [](const domain::TokenRefusals& t) {
          return MustacheObject("token token_name status count", t.token_key, t.token_name,
                                std::to_string(t.status), std::to_string(t.count));
        }));
}

void SetCredentialsData(data& d, const domain::CredentialsReport& c) {
  SetCounts(d, "secrets_", SecretCounts(c));
  SetCounts(d, "",
            {{"expiring_within_days", c.expiring_within_days},
             {"secrets_expiring_count", static_cast<int64_t>(c.expiring.size())},
             {"certificates_expiring_count", static_cast<int64_t>(c.certificates_expiring.size())},
             {"rotated_in_use_count", static_cast<int64_t>(c.rotated_in_use.size())}});
  d.set("has_secrets_expiring", !c.expiring.empty());
  d.set("secrets_expiring", MustacheList(c.expiring, [](const domain::ExpiringSecret& e) {
          return MustacheObject("client_id organisation environment expires_at days_left",
                                e.client_id, e.organisation, e.environment, e.expires_at,
                                std::to_string(e.days_left));
        }));
  d.set("has_certificates_expiring", !c.certificates_expiring.empty());
  const auto certificate = [](const domain::ExpiringCertificate& e) {
    return MustacheObject(
        "client_id organisation environment kid subject certificate_orgno not_after days_left",
        e.client_id, e.organisation, e.environment, e.kid, e.subject, e.certificate_orgno,
        e.not_after, std::to_string(e.days_left));
  };
  d.set("certificates_expiring", MustacheList(c.certificates_expiring, certificate));
}

void SetDeliveriesData(data& d, const domain::DeliveriesReport& r) {
  SetCounts(d, "sms_", SmsCounts(r));
  SetCounts(d, "email_", EmailCounts(r));
  d.set("sms_success_pct", PercentOrDash(r.sms_succeeded, r.sms_failed));
  d.set("email_success_pct", PercentOrDash(r.email_sent, r.email_failed));
  d.set("deliveries_chart", BarChart("chart-deliveries", "SMS and e-mail outcomes",
                                     {{"SMS succeeded", r.sms_succeeded},
                                      {"SMS failed", r.sms_failed},
                                      {"e-mail sent", r.email_sent},
                                      {"e-mail failed", r.email_failed}}));
  d.set("has_failures", !r.failures.empty());
  d.set("failures", MustacheList(r.failures, [](const domain::FailureCount& f) {
          return MustacheObject("channel code count", f.channel, f.code, std::to_string(f.count));
        }));
  SetCounts(d, "",
            {{"never_fetched_count", static_cast<int64_t>(r.never_fetched.size())},
             {"second_downloads_count", static_cast<int64_t>(r.second_downloads.size())}});
}

}  // namespace

std::string MonthlyReportHtml(const MonthlyReport& m) {
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

}  // namespace onboard::usecases
