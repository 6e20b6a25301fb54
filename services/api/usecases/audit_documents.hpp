#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "audit_log.hpp"
#include "audit_queries.hpp"
#include "audit_report.hpp"

/// The audit documents: the chain report, checkpoints and the reports as JSON, CSV (one
/// `section,key,value` row per figure) and the monthly report's printable HTML page. What
/// the audit routes answer (http/handlers/audit.cpp) and what `onboard-api audit verify`
/// prints, rendered in one place; no HTTP here (the routes add the media type, the
/// attachment name and the streaming of event searches). Thread-safe: plain functions.
namespace onboard::usecases {

/// JSON of a chain verification (also what `onboard-api audit verify` prints).
Poco::JSON::Object ChainReportJson(const domain::ChainReport& report);
/// GET /v1/audit/verify's body.
Poco::JSON::Object ChainCheckJson(const ChainCheck& check);

/// JSON of one checkpoint, and of a page of them with the key that checks them.
Poco::JSON::Object CheckpointJson(const domain::Checkpoint& c);
Poco::JSON::Object CheckpointPageJson(const CheckpointPage& page);

/// The reports' JSON bodies and CSV.
Poco::JSON::Object ReportJson(const domain::ReportPeriod& period,
                              const domain::OnboardingReport& r);
Poco::JSON::Object ReportJson(const domain::ReportPeriod& period, const domain::AccessReport& r);
Poco::JSON::Object ReportJson(const domain::ReportPeriod& period,
                              const domain::CredentialsReport& r);
Poco::JSON::Object ReportJson(const domain::ReportPeriod& period,
                              const domain::DeliveriesReport& r);
Poco::JSON::Object ReportJson(const MonthlyReport& m);
std::string ReportCsv(const domain::OnboardingReport& r);
std::string ReportCsv(const domain::AccessReport& r);
std::string ReportCsv(const domain::CredentialsReport& r);
std::string ReportCsv(const domain::DeliveriesReport& r);
std::string ReportCsv(const MonthlyReport& m);

/// The monthly report as a printable HTML page with bar charts (templates/audit_*.mustache).
/// Throws AppError(kInternal) when a template is missing or invalid.
std::string MonthlyReportHtml(const MonthlyReport& m);

}  // namespace onboard::usecases
