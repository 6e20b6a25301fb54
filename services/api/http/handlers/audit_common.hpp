#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <set>
#include <string>

#include "app_services.hpp"
#include "audit_export.hpp"
#include "audit_log.hpp"
#include "audit_queries.hpp"
#include "audit_report.hpp"
#include "request_context.hpp"

namespace onboard::http::audit {

/// The query parameters of a request; throws AppError(kValidation) naming every parameter
/// not in `known` (a misspelt filter must not silently widen an audit query), and
/// AppError(kBadRequest) for a parameter given twice.
std::map<std::string, std::string> QueryParams(const RequestContext& ctx,
                                               const std::set<std::string>& known);

using Format = usecases::ExportFormat;

/// The response format from `format=` (json, ndjson when `ndjson_ok`, csv, html when
/// `html_ok`) or else from Accept; JSON by default. A `format=` outside those adds its
/// field error to `errors` (the use case reports it in its turn) and answers JSON.
Format ReadFormat(const RequestContext& ctx, const std::map<std::string, std::string>& params,
                  bool ndjson_ok, bool html_ok, std::vector<FieldError>& errors);

/// The parameters (of `known`) and format of a report request.
usecases::ReportRequest ReadReportRequest(const RequestContext& ctx,
                                          const std::set<std::string>& known, bool html_ok);

/// The parameters and format of an event search (`without` names a parameter the route
/// has in its path instead, e.g. client_id).
usecases::EventSearch ReadEventSearch(const RequestContext& ctx, const std::string& without = {});

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
  void SendBuffer();
  RequestContext& ctx_;
  std::string content_type_;
  std::string disposition_;
  std::string buffer_;
  std::ostream* out_ = nullptr;
};

/// JSON of a chain verification (also what `onboard-api audit verify` prints).
Poco::JSON::Object ChainReportJson(const domain::ChainReport& report);

/// The report JSON bodies (shared by the JSON, CSV and HTML renderings).
Poco::JSON::Object OnboardingReportJson(const domain::ReportPeriod& period,
                                        const domain::OnboardingReport& r);
Poco::JSON::Object AccessReportJson(const domain::ReportPeriod& period,
                                    const domain::AccessReport& r);
/// CSV of a report: one `section,key,value` row per figure.
std::string OnboardingReportCsv(const domain::OnboardingReport& r);
std::string AccessReportCsv(const domain::AccessReport& r);
Poco::JSON::Object CredentialsReportJson(const domain::ReportPeriod& period,
                                         const domain::CredentialsReport& r);
Poco::JSON::Object DeliveriesReportJson(const domain::ReportPeriod& period,
                                        const domain::DeliveriesReport& r);
std::string CredentialsReportCsv(const domain::CredentialsReport& r);
std::string DeliveriesReportCsv(const domain::DeliveriesReport& r);
/// Common members of a report: period, organisation.
void SetPeriod(Poco::JSON::Object& body, const domain::ReportPeriod& period);

}  // namespace onboard::http::audit
