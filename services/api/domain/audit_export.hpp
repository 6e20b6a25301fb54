#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "audit_event.hpp"

/// Encodings of audit events for export: JSON objects (one per NDJSON line, or items of a
/// JSON page) and RFC 4180 CSV rows that a spreadsheet opens without running anything.
namespace onboard::domain {

enum class ExportFormat { kJson, kNdjson, kCsv };

/// RFC 3339 UTC text with microseconds ("2026-12-01T10:00:00.000000Z").
std::string Rfc3339FromMicros(int64_t us);
/// The same, appended to `out`.
void AppendRfc3339FromMicros(std::string& out, int64_t us);
/// Parses RFC 3339 (a 'Z' or +hh:mm offset, optional fraction up to microseconds) or a
/// plain date (midnight UTC). False when `text` is neither.
bool ParseRfc3339Micros(std::string_view text, int64_t& us);

/// Appends `s` as a JSON string literal (quotes included). Invalid UTF-8 is not repaired:
/// audit text is valid UTF-8 because every input was checked on the way in.
void AppendJsonString(std::string& out, std::string_view s);

/// Appends one CSV field: quoted when it holds a comma, quote, CR or LF (quotes doubled),
/// and prefixed with an apostrophe when it starts with '=', '+', '-' or '@' (or a tab or CR) (so a
/// spreadsheet shows it instead of evaluating it; "formula injection").
void AppendCsvField(std::string& out, std::string_view value);

/// The text columns of a sealed event after seq and occurred_at, in the order of the CSV
/// export and of the audit_events table: actor, role, portal_user, request_id, source_ip,
/// organisation, action, target_type, target_id, outcome, detail, prev_hash, hash. Views
/// into `e`.
std::array<std::string_view, 13> AuditTextColumns(const SealedAuditEvent& e);

/// The CSV header line (CRLF-terminated).
std::string_view AuditCsvHeader();
/// One event as a CSV record (CRLF-terminated).
void AppendAuditCsv(std::string& out, const SealedAuditEvent& e);
/// One event as a JSON object (no trailing newline); `detail` is embedded as JSON.
void AppendAuditJson(std::string& out, const SealedAuditEvent& e);

}  // namespace onboard::domain
