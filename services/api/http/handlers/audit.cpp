// The audit routes (role auditor, and operators for the client trail): event searches and
// exports, chain verification, signed checkpoints and the reports. Rules in
// usecases/audit_queries.*, the documents (JSON, CSV, HTML) in usecases/audit_documents.*;
// here only what is HTTP: the query, the format asked by Accept, and the streamed body.
#include <functional>

#include "audit_documents.hpp"
#include "audit_export.hpp"
#include "common_codecs.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "streaming_body.hpp"

namespace onboard::http::handlers {

namespace {

using AuditFormat = usecases::ExportFormat;
constexpr const char* kAuditCsvType = "text/csv; charset=utf-8; header=present";

// The query's parameters, checked against what the query takes (usecases::AcceptParams);
// kBadRequest `malformed_query` for a query string that is not valid percent-encoding.
usecases::QueryParams ReadAuditQuery(const RequestContext& ctx, const usecases::QueryShape& shape) {
  return usecases::AcceptParams(shape, ctx.QueryParameters());
}

AuditFormat AcceptedFormat(const RequestContext& ctx, const usecases::QueryShape& shape) {
  const std::string accept = ctx.request.get("Accept", "");
  const auto names = [&](const char* type) { return accept.find(type) != std::string::npos; };
  if (names("text/csv")) return AuditFormat::kCsv;
  if (shape.ndjson && (names("application/x-ndjson") || names("application/ndjson")))
    return AuditFormat::kNdjson;
  if (shape.html && names("text/html")) return AuditFormat::kHtml;
  return AuditFormat::kJson;
}

// The parameters and format of an event search or a report: `format=` if given (checked
// by usecases::NamedFormat, its error reported by the use case), else Accept, else JSON.
template <class Request>
Request ReadFormatted(const RequestContext& ctx, const usecases::QueryShape& shape) {
  Request request;
  request.params = ReadAuditQuery(ctx, shape);
  request.format = usecases::NamedFormat(shape, request.params, request.format_errors)
                       .value_or(AcceptedFormat(ctx, shape));
  return request;
}

// A search's events as a JSON page `{items, next_cursor}`.
void StreamEventPage(RequestContext& ctx,
                     const std::function<usecases::EventPage(const usecases::EventSink&)>& run) {
  StreamingBody body(ctx.response, "application/json");
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
}

// Streams a search's events as its format asked: a JSON page, NDJSON, or CSV as an
// attachment `<filename>.csv`. `run` calls the use case with the sink it is given.
void StreamEvents(RequestContext& ctx, const usecases::EventSearch& search,
                  const std::string& filename,
                  const std::function<usecases::EventPage(const usecases::EventSink&)>& run) {
  if (search.format == AuditFormat::kJson) return StreamEventPage(ctx, run);
  const bool csv = search.format == AuditFormat::kCsv;
  StreamingBody body(ctx.response, csv ? kAuditCsvType : "application/x-ndjson",
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

// A document as CSV (an attachment `<name>.csv`) or JSON, as the request asked.
template <class Csv, class Json>
void WriteAuditDocument(RequestContext& ctx, AuditFormat format, const std::string& name, Csv csv,
                        Json json) {
  if (format == AuditFormat::kCsv) {
    ctx.response.set("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
    WriteBody(ctx, 200, kAuditCsvType, csv());
    return;
  }
  WriteJson(ctx, 200, json());
}

// One report route: read the request as `shape` says, ask `report`, answer as asked.
template <class Report>
void AuditReportGet(RequestContext& ctx, AppServices& svc, const usecases::QueryShape& shape,
                    usecases::PeriodReport<Report> (usecases::AuditQueries::*report)(
                        const usecases::ReportRequest&),
                    const char* name) {
  const auto request = ReadFormatted<usecases::ReportRequest>(ctx, shape);
  const usecases::PeriodReport<Report> r = (svc.use_cases.audit.*report)(request);
  WriteAuditDocument(
      ctx, request.format, std::string(name) + "-report",
      [&] { return usecases::ReportCsv(r.report); },
      [&] { return usecases::ReportJson(r.period, r.report); });
}

}  // namespace

// GET /v1/audit/events: every event matching the filters, as a JSON page, NDJSON or CSV.
void AuditEventsGet(RequestContext& ctx, AppServices& svc) {
  const auto search = ReadFormatted<usecases::EventSearch>(ctx, usecases::kEventsQuery);
  StreamEvents(ctx, search, "audit-events", [&](const usecases::EventSink& sink) {
    return svc.use_cases.audit.Search(search, sink);
  });
}

// GET /v1/clients/{client_id}/audit: the same, restricted to one client and its lineage.
void ClientAuditGet(RequestContext& ctx, AppServices& svc) {
  const std::string& client_id = ctx.Param("client_id");
  const auto search = ReadFormatted<usecases::EventSearch>(ctx, usecases::kClientTrailQuery);
  StreamEvents(ctx, search, "client-" + client_id + "-audit", [&](const usecases::EventSink& sink) {
    return svc.use_cases.audit.ClientTrail(client_id, search, sink);
  });
}

// `from`/`to` are seq numbers (digits) or RFC 3339 times; a time range covers the events
// that occurred in [from, to).
void AuditVerifyGet(RequestContext& ctx, AppServices& svc) {
  const usecases::ChainCheck check =
      svc.use_cases.audit.Verify(ReadAuditQuery(ctx, usecases::kVerifyQuery));
  WriteJson(ctx, 200, usecases::ChainCheckJson(check));
}

// Newest first, with the public key that checks them: an external party keeps these and
// can later hold the service to them.
void AuditCheckpointsList(RequestContext& ctx, AppServices& svc) {
  const usecases::CheckpointPage page =
      svc.use_cases.audit.Checkpoints(ReadAuditQuery(ctx, usecases::kCheckpointsQuery));
  WriteJson(ctx, 200, usecases::CheckpointPageJson(page));
}

// Signs the current head now. The body, when there is one, must be an empty JSON object.
void AuditCheckpointsPost(RequestContext& ctx, AppServices& svc) {
  if (ctx.request.hasContentLength() && ctx.request.getContentLength64() > 0) {
    JsonFields(*ReadBody(ctx, svc)).Finish();
  }
  const domain::Checkpoint checkpoint = svc.use_cases.audit.WriteCheckpoint(ctx.UseCaseCaller());
  ctx.response.set(
      "Location", "/v1/audit/checkpoints?cursor=" + std::to_string(checkpoint.id + 1) + "&limit=1");
  WriteJson(ctx, 201, usecases::CheckpointJson(checkpoint));
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
  const auto request = ReadFormatted<usecases::ReportRequest>(ctx, usecases::kMonthlyReportQuery);
  const usecases::MonthlyReport report = svc.use_cases.audit.Monthly(request);
  if (request.format == AuditFormat::kHtml) {
    ctx.response.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    WriteBody(ctx, 200, "text/html; charset=utf-8", usecases::MonthlyReportHtml(report));
    return;
  }
  WriteAuditDocument(
      ctx, request.format, "monthly-report", [&] { return usecases::ReportCsv(report); },
      [&] { return usecases::ReportJson(report); });
}

}  // namespace onboard::http::handlers
