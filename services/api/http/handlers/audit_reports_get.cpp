#include <Poco/NumberParser.h>
#include <kainjow/mustache.hpp>

#include <chrono>
#include <cmath>

#include "audit_common.hpp"
#include "embedded_file.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http {
const std::vector<onboard::EmbeddedFile>& EmbeddedAuditTemplates();
}

namespace onboard::http::handlers {

namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;

const std::set<std::string> kReportParams = {"month", "from", "to", "organisation", "format"};

std::string Template(std::string_view name) {
  for (const auto& f : EmbeddedAuditTemplates()) {
    if (f.name == name) return std::string(f.content);
  }
  throw AppError(ErrorCode::kInternal, "internal error", "missing template " + std::string(name));
}

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// A horizontal bar chart: bar lengths proportional to the values, the longest 300 px.
data Chart(const std::string& id, const std::string& title,
           const std::vector<std::pair<std::string, int64_t>>& rows) {
  data chart;
  chart.set("chart_id", id);
  chart.set("title", title);
  int64_t max = 1;
  for (const auto& [label, v] : rows) max = std::max(max, v);
  constexpr int kLabelWidth = 220, kMaxBar = 300, kRow = 22;
  data bars{data::type::list};
  int i = 0;
  for (const auto& [label, v] : rows) {
    data bar;
    const int width =
        static_cast<int>(std::lround(static_cast<double>(v) * kMaxBar / static_cast<double>(max)));
    bar.set("label", label);
    bar.set("value", std::to_string(v));
    bar.set("y", std::to_string(i * kRow + 4));
    bar.set("text_y", std::to_string(i * kRow + 17));
    bar.set("bar_x", std::to_string(kLabelWidth));
    bar.set("bar_width", std::to_string(width));
    bar.set("value_x", std::to_string(kLabelWidth + width + 6));
    bars.push_back(bar);
    ++i;
  }
  chart.set("bars", bars);
  chart.set("width", std::to_string(kLabelWidth + kMaxBar + 60));
  chart.set("height", std::to_string(std::max(1, i) * kRow + 8));
  return chart;
}

std::string Percent(int64_t ok, int64_t failed) {
  if (ok + failed == 0) return "–";
  return Fixed(100.0 * static_cast<double>(ok) / static_cast<double>(ok + failed), 1);
}

void SetCredentials(data& d, const domain::CredentialsReport& c) {
  d.set("secrets_issued", std::to_string(c.issued));
  d.set("secrets_rotated", std::to_string(c.rotated));
  d.set("secrets_revoked", std::to_string(c.revoked));
  d.set("expiring_within_days", std::to_string(c.expiring_within_days));
  d.set("secrets_expiring_count", std::to_string(c.expiring.size()));
  d.set("certificates_expiring_count", std::to_string(c.certificates_expiring.size()));
  d.set("rotated_in_use_count", std::to_string(c.rotated_in_use.size()));
  data secrets{data::type::list};
  for (const auto& e : c.expiring) {
    data row;
    row.set("client_id", e.client_id);
    row.set("organisation", e.organisation);
    row.set("environment", e.environment);
    row.set("expires_at", e.expires_at);
    row.set("days_left", std::to_string(e.days_left));
    secrets.push_back(row);
  }
  d.set("has_secrets_expiring", !c.expiring.empty());
  d.set("secrets_expiring", secrets);
  data certificates{data::type::list};
  for (const auto& e : c.certificates_expiring) {
    data row;
    row.set("client_id", e.client_id);
    row.set("organisation", e.organisation);
    row.set("environment", e.environment);
    row.set("kid", e.kid);
    row.set("subject", e.subject);
    row.set("certificate_orgno", e.certificate_orgno);
    row.set("not_after", e.not_after);
    row.set("days_left", std::to_string(e.days_left));
    certificates.push_back(row);
  }
  d.set("has_certificates_expiring", !c.certificates_expiring.empty());
  d.set("certificates_expiring", certificates);
}

void SetDeliveries(data& d, const domain::DeliveriesReport& r) {
  d.set("sms_succeeded", std::to_string(r.sms_succeeded));
  d.set("sms_failed", std::to_string(r.sms_failed));
  d.set("sms_pending", std::to_string(r.sms_pending));
  d.set("sms_success_pct", Percent(r.sms_succeeded, r.sms_failed));
  d.set("email_sent", std::to_string(r.email_sent));
  d.set("email_failed", std::to_string(r.email_failed));
  d.set("email_pending", std::to_string(r.email_pending));
  d.set("email_success_pct", Percent(r.email_sent, r.email_failed));
  d.set("deliveries_chart", Chart("chart-deliveries", "SMS and e-mail outcomes",
                                  {{"SMS succeeded", r.sms_succeeded},
                                   {"SMS failed", r.sms_failed},
                                   {"e-mail sent", r.email_sent},
                                   {"e-mail failed", r.email_failed}}));
  data failures{data::type::list};
  for (const auto& f : r.failures) {
    data row;
    row.set("channel", f.channel);
    row.set("code", f.code);
    row.set("count", std::to_string(f.count));
    failures.push_back(row);
  }
  d.set("has_failures", !r.failures.empty());
  d.set("failures", failures);
  d.set("never_fetched_count", std::to_string(r.never_fetched.size()));
  d.set("second_downloads_count", std::to_string(r.second_downloads.size()));
}

std::string RenderMonthly(const usecases::MonthlyReport& m) {
  const domain::ReportPeriod& period = m.period;
  const domain::OnboardingReport& o = m.onboarding;
  const domain::AccessReport& a = m.access;
  data d;
  d.set("period_label", m.label);
  d.set("from", domain::Rfc3339FromMicros(period.from_us));
  d.set("to", domain::Rfc3339FromMicros(period.to_us));
  if (!period.organisation.empty())
    d.set("organisation", period.organisation);
  else
    d.set("organisation", false);
  d.set("generated_at",
        domain::Rfc3339FromMicros(std::chrono::duration_cast<std::chrono::microseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count()));
  int64_t opened = 0;
  for (const auto& [s, n] : o.cases_by_state) opened += n;
  d.set("cases_opened", std::to_string(opened));
  d.set("cases_chart", Chart("chart-cases", "Cases opened, by state now", o.cases_by_state));
  d.set("orders_submitted", std::to_string(o.orders_submitted));
  d.set("orders_approved", std::to_string(o.orders_approved));
  d.set("orders_rejected", std::to_string(o.orders_rejected));
  d.set("orders_chart", Chart("chart-orders", "Production orders",
                              {{"submitted", o.orders_submitted},
                               {"approved", o.orders_approved},
                               {"rejected", o.orders_rejected}}));
  d.set("approvals_measured", std::to_string(o.approvals_measured));
  d.set("median_days",
        o.median_time_to_production_s ? Fixed(*o.median_time_to_production_s / 86400.0, 2) : "–");
  d.set("p90_days",
        o.p90_time_to_production_s ? Fixed(*o.p90_time_to_production_s / 86400.0, 2) : "–");
  d.set("as_of", domain::Rfc3339FromMicros(o.as_of_us));
  d.set("waiting_count", std::to_string(o.orders_waiting.size()));
  d.set("has_waiting", !o.orders_waiting.empty());
  data waiting{data::type::list};
  for (const auto& w : o.orders_waiting) {
    data row;
    row.set("id", w.id);
    row.set("organisation", w.organisation);
    row.set("submitted_at", w.submitted_at);
    row.set("age_days", Fixed(static_cast<double>(w.age_s) / 86400.0, 1));
    waiting.push_back(row);
  }
  d.set("waiting", waiting);
  data actions{data::type::list};
  std::vector<std::pair<std::string, int64_t>> top;
  for (const auto& x : a.actions) {
    data row;
    row.set("actor", x.actor);
    row.set("role", x.role);
    row.set("actions", std::to_string(x.actions));
    row.set("not_successful", std::to_string(x.not_successful));
    actions.push_back(row);
    if (top.size() < 10) top.emplace_back(x.actor + " (" + x.role + ")", x.actions);
  }
  d.set("actions", actions);
  d.set("actions_chart", Chart("chart-actions", "Actions per actor (top 10)", top));
  d.set("refusals_included", a.refusals_included);
  data refusals{data::type::list};
  for (const auto& t : a.refusals) {
    data row;
    row.set("token", t.token_key);
    row.set("token_name", t.token_name);
    row.set("status", std::to_string(t.status));
    row.set("count", std::to_string(t.count));
    refusals.push_back(row);
  }
  d.set("refusals", refusals);
  SetCredentials(d, m.credentials);
  SetDeliveries(d, m.deliveries);
  d.set("chart",
        kainjow::mustache::partial([] { return Template("audit_bar_chart.svg.mustache"); }));
  // Compiled per request (a few microseconds): a kainjow template is not safe to share
  // between threads while rendering.
  mustache report(Template("audit_monthly_report.html.mustache"));
  std::string html = report.render(d);
  if (!report.is_valid()) {
    throw AppError(ErrorCode::kInternal, "internal error",
                   "report template: " + report.error_message());
  }
  return html;
}

constexpr const char* kCsv = "text/csv; charset=utf-8; header=present";

// A report as CSV (an attachment `<name>-report.csv`) or JSON, as the request asked.
template <class Report, class ToCsv, class ToJson>
void WriteReport(RequestContext& ctx, const usecases::ReportRequest& request,
                 const usecases::PeriodReport<Report>& r, const char* name, ToCsv to_csv,
                 ToJson to_json) {
  if (request.format == audit::Format::kCsv) {
    ctx.response.set("Content-Disposition",
                     std::string("attachment; filename=\"") + name + "-report.csv\"");
    WriteBody(ctx, 200, kCsv, to_csv(r.report));
    return;
  }
  WriteJson(ctx, 200, to_json(r.period, r.report));
}

std::string MonthlyCsv(const usecases::MonthlyReport& m) {
  std::string csv = audit::OnboardingReportCsv(m.onboarding);
  for (const std::string& more :
       {audit::AccessReportCsv(m.access), audit::CredentialsReportCsv(m.credentials),
        audit::DeliveriesReportCsv(m.deliveries)}) {
    csv += more.substr(more.find("\r\n") + 2);  // one header line
  }
  return csv;
}

Poco::JSON::Object MonthlyJson(const usecases::MonthlyReport& m) {
  Poco::JSON::Object body;
  audit::SetPeriod(body, m.period);
  body.set("onboarding", audit::OnboardingReportJson(m.period, m.onboarding));
  body.set("access", audit::AccessReportJson(m.period, m.access));
  body.set("credentials", audit::CredentialsReportJson(m.period, m.credentials));
  body.set("deliveries", audit::DeliveriesReportJson(m.period, m.deliveries));
  return body;
}

std::set<std::string> WithExpiring() {
  std::set<std::string> known = kReportParams;
  known.insert("expiring_within_days");
  return known;
}

}  // namespace

void AuditReportOnboardingGet(RequestContext& ctx, AppServices& svc) {
  const auto request = audit::ReadReportRequest(ctx, kReportParams, false);
  WriteReport(ctx, request, svc.use_cases.audit.Onboarding(request), "onboarding",
              audit::OnboardingReportCsv, audit::OnboardingReportJson);
}

void AuditReportAccessGet(RequestContext& ctx, AppServices& svc) {
  const auto request = audit::ReadReportRequest(ctx, kReportParams, false);
  WriteReport(ctx, request, svc.use_cases.audit.Access(request), "access", audit::AccessReportCsv,
              audit::AccessReportJson);
}

void AuditReportCredentialsGet(RequestContext& ctx, AppServices& svc) {
  const auto request = audit::ReadReportRequest(ctx, WithExpiring(), false);
  WriteReport(ctx, request, svc.use_cases.audit.Credentials(request), "credentials",
              audit::CredentialsReportCsv, audit::CredentialsReportJson);
}

void AuditReportDeliveriesGet(RequestContext& ctx, AppServices& svc) {
  const auto request = audit::ReadReportRequest(ctx, kReportParams, false);
  WriteReport(ctx, request, svc.use_cases.audit.Deliveries(request), "deliveries",
              audit::DeliveriesReportCsv, audit::DeliveriesReportJson);
}

// The monthly report: `month=YYYY-MM` (or from/to), as JSON (the onboarding, access,
// credentials and deliveries sections), CSV or a printable HTML page with bar charts.
void AuditReportMonthlyGet(RequestContext& ctx, AppServices& svc) {
  const auto request = audit::ReadReportRequest(ctx, WithExpiring(), true);
  const usecases::MonthlyReport report = svc.use_cases.audit.Monthly(request);
  if (request.format == audit::Format::kHtml) {
    ctx.response.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    WriteBody(ctx, 200, "text/html; charset=utf-8", RenderMonthly(report));
  } else if (request.format == audit::Format::kCsv) {
    ctx.response.set("Content-Disposition", "attachment; filename=\"monthly-report.csv\"");
    WriteBody(ctx, 200, kCsv, MonthlyCsv(report));
  } else {
    WriteJson(ctx, 200, MonthlyJson(report));
  }
}

}  // namespace onboard::http::handlers
