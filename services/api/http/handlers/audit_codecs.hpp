#pragma once

#include <Poco/JSON/Object.h>

#include <functional>
#include <ostream>
#include <string>

#include "audit_export.hpp"
#include "audit_log.hpp"
#include "audit_queries.hpp"
#include "audit_report.hpp"
#include "request_context.hpp"

/// The audit routes' request readers and renderings (JSON, NDJSON, CSV, HTML). The rules
/// (which parameters and formats a query takes, periods, limits) are in
/// usecases/audit_queries.*; the handlers in audit.cpp.
namespace onboard::http::audit {

using Format = usecases::ExportFormat;

/// The query's parameters, checked against what the query takes (usecases::AcceptParams);
/// kBadRequest `malformed_query` for a query string that is not valid percent-encoding.
usecases::QueryParams ReadQuery(const RequestContext& ctx, const usecases::QueryShape& shape);

/// The parameters and format of an event search or report: `format=` if given (checked by
/// usecases::NamedFormat, its error reported by the use case), else Accept, else JSON.
usecases::EventSearch ReadEventSearch(const RequestContext& ctx, const usecases::QueryShape& shape);
usecases::ReportRequest ReadReportRequest(const RequestContext& ctx,
                                          const usecases::QueryShape& shape);

/// Streams a search's events as the search's format asked: a JSON page `{items,
/// next_cursor}`, NDJSON, or CSV as an attachment `<filename>.csv`. `run` calls the use
/// case with the sink it is given.
void StreamEvents(RequestContext& ctx, const usecases::EventSearch& search,
                  const std::string& filename,
                  const std::function<usecases::EventPage(const usecases::EventSink&)>& run);

/// A response body written as it is produced: buffered up to 64 KiB, then sent with
/// chunked transfer encoding, so nothing is sent (and an error can still be answered with
/// a problem) until the first 64 KiB are ready. A short body goes out with Content-Length.
/// Throws AppError(kUnavailable, "client_gone") once the caller stops reading.
class StreamingBody {
 public:
  StreamingBody(RequestContext& ctx, std::string content_type, std::string disposition = {});
  std::string& buffer() noexcept { return buffer_; }
  /// Sends the buffer when it is big enough.
  void MaybeFlush();
  /// Sends the rest and ends the body.
  void Finish();

 private:
  void SendHead(bool chunked);
  void SendBuffer();
  RequestContext& ctx_;
  std::string content_type_;
  std::string disposition_;
  std::string buffer_;
  std::ostream* out_ = nullptr;
};

/// JSON of a chain verification (also what `onboard-api audit verify` prints).
Poco::JSON::Object ChainReportJson(const domain::ChainReport& report);
/// GET /v1/audit/verify's body.
Poco::JSON::Object ChainCheckJson(const usecases::ChainCheck& check);

/// JSON of one checkpoint, and of a page of them with the key that checks them.
Poco::JSON::Object CheckpointJson(const domain::Checkpoint& c);
Poco::JSON::Object CheckpointPageJson(const usecases::CheckpointPage& page);

/// The reports' JSON bodies and CSV (one `section,key,value` row per figure).
Poco::JSON::Object ReportJson(const domain::ReportPeriod& period,
                              const domain::OnboardingReport& r);
Poco::JSON::Object ReportJson(const domain::ReportPeriod& period, const domain::AccessReport& r);
Poco::JSON::Object ReportJson(const domain::ReportPeriod& period,
                              const domain::CredentialsReport& r);
Poco::JSON::Object ReportJson(const domain::ReportPeriod& period,
                              const domain::DeliveriesReport& r);
Poco::JSON::Object ReportJson(const usecases::MonthlyReport& m);
std::string ReportCsv(const domain::OnboardingReport& r);
std::string ReportCsv(const domain::AccessReport& r);
std::string ReportCsv(const domain::CredentialsReport& r);
std::string ReportCsv(const domain::DeliveriesReport& r);
std::string ReportCsv(const usecases::MonthlyReport& m);

/// The monthly report as a printable HTML page with bar charts (templates/audit_*.mustache).
std::string MonthlyReportHtml(const usecases::MonthlyReport& m);

}  // namespace onboard::http::audit
