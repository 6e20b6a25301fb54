// The audit routes (role auditor, and operators for the client trail): event searches and
// exports, chain verification, signed checkpoints and the reports. Rules in
// usecases/audit_queries.*; readers and renderings in audit_codecs.*.
#include "audit_codecs.hpp"
#include "common_codecs.hpp"
#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

namespace {

constexpr const char* kAuditCsvType = "text/csv; charset=utf-8; header=present";

// A report as CSV (an attachment `<name>-report.csv`) or JSON, as the request asked.
template <class Report>
void WriteAuditReport(RequestContext& ctx, const usecases::ReportRequest& request,
                      const usecases::PeriodReport<Report>& r, const char* name) {
  if (request.format == audit::Format::kCsv) {
    ctx.response.set("Content-Disposition",
                     std::string("attachment; filename=\"") + name + "-report.csv\"");
    WriteBody(ctx, 200, kAuditCsvType, audit::ReportCsv(r.report));
    return;
  }
  WriteJson(ctx, 200, audit::ReportJson(r.period, r.report));
}

// One report route: read the request as `shape` says, ask `report`, answer as asked.
template <class Report>
void AuditReportGet(RequestContext& ctx, AppServices& svc, const usecases::QueryShape& shape,
                    usecases::PeriodReport<Report> (usecases::AuditQueries::*report)(
                        const usecases::ReportRequest&),
                    const char* name) {
  const usecases::ReportRequest request = audit::ReadReportRequest(ctx, shape);
  WriteAuditReport(ctx, request, (svc.use_cases.audit.*report)(request), name);
}

}  // namespace

// GET /v1/audit/events: every event matching the filters, as a JSON page, NDJSON or CSV.
void AuditEventsGet(RequestContext& ctx, AppServices& svc) {
  const usecases::EventSearch search = audit::ReadEventSearch(ctx, usecases::kEventsQuery);
  audit::StreamEvents(ctx, search, "audit-events", [&](const usecases::EventSink& sink) {
    return svc.use_cases.audit.Search(search, sink);
  });
}

// GET /v1/clients/{client_id}/audit: the same, restricted to one client and its lineage.
void ClientAuditGet(RequestContext& ctx, AppServices& svc) {
  const std::string& client_id = ctx.Param("client_id");
  const usecases::EventSearch search = audit::ReadEventSearch(ctx, usecases::kClientTrailQuery);
  audit::StreamEvents(ctx, search, "client-" + client_id + "-audit",
                      [&](const usecases::EventSink& sink) {
                        return svc.use_cases.audit.ClientTrail(client_id, search, sink);
                      });
}

// `from`/`to` are seq numbers (digits) or RFC 3339 times; a time range covers the events
// that occurred in [from, to).
void AuditVerifyGet(RequestContext& ctx, AppServices& svc) {
  const usecases::ChainCheck check =
      svc.use_cases.audit.Verify(audit::ReadQuery(ctx, usecases::kVerifyQuery));
  WriteJson(ctx, 200, audit::ChainCheckJson(check));
}

// Newest first, with the public key that checks them: an external party keeps these and
// can later hold the service to them.
void AuditCheckpointsList(RequestContext& ctx, AppServices& svc) {
  const usecases::CheckpointPage page =
      svc.use_cases.audit.Checkpoints(audit::ReadQuery(ctx, usecases::kCheckpointsQuery));
  WriteJson(ctx, 200, audit::CheckpointPageJson(page));
}

// Signs the current head now. The body, when there is one, must be an empty JSON object.
void AuditCheckpointsPost(RequestContext& ctx, AppServices& svc) {
  if (ctx.request.hasContentLength() && ctx.request.getContentLength64() > 0) {
    JsonFields(*ReadBody(ctx, svc)).Finish();
  }
  const domain::Checkpoint checkpoint = svc.use_cases.audit.WriteCheckpoint(ctx.UseCaseCaller());
  ctx.response.set(
      "Location", "/v1/audit/checkpoints?cursor=" + std::to_string(checkpoint.id + 1) + "&limit=1");
  WriteJson(ctx, 201, audit::CheckpointJson(checkpoint));
}

void AuditReportOnboardingGet(RequestContext& ctx, AppServices& svc) {
  AuditReportGet(ctx, svc, usecases::kReportQuery, &usecases::AuditQueries::Onboarding,
                 "onboarding");
}

void AuditReportAccessGet(RequestContext& ctx, AppServices& svc) {
  AuditReportGet(ctx, svc, usecases::kReportQuery, &usecases::AuditQueries::Access, "access");
}

void AuditReportCredentialsGet(RequestContext& ctx, AppServices& svc) {
  AuditReportGet(ctx, svc, usecases::kCredentialsReportQuery, &usecases::AuditQueries::Credentials,
                 "credentials");
}

void AuditReportDeliveriesGet(RequestContext& ctx, AppServices& svc) {
  AuditReportGet(ctx, svc, usecases::kReportQuery, &usecases::AuditQueries::Deliveries,
                 "deliveries");
}

// The monthly report: `month=YYYY-MM` (or from/to), as JSON (the onboarding, access,
// credentials and deliveries sections), CSV or a printable HTML page with bar charts.
void AuditReportMonthlyGet(RequestContext& ctx, AppServices& svc) {
  const auto request = audit::ReadReportRequest(ctx, usecases::kMonthlyReportQuery);
  const usecases::MonthlyReport report = svc.use_cases.audit.Monthly(request);
  if (request.format == audit::Format::kHtml) {
    ctx.response.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    WriteBody(ctx, 200, "text/html; charset=utf-8", audit::MonthlyReportHtml(report));
  } else if (request.format == audit::Format::kCsv) {
    ctx.response.set("Content-Disposition", "attachment; filename=\"monthly-report.csv\"");
    WriteBody(ctx, 200, kAuditCsvType, audit::ReportCsv(report));
  } else {
    WriteJson(ctx, 200, audit::ReportJson(report));
  }
}

}  // namespace onboard::http::handlers
