#include <Poco/NumberParser.h>

#include <limits>

#include "audit_common.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "orgno.hpp"

namespace onboard::http::handlers {

namespace {

const std::set<std::string> kParams = {
    "from",    "to",         "actor",  "role",  "organisation", "client_id", "action",
    "outcome", "request_id", "cursor", "order", "limit",        "format"};
constexpr int64_t kJsonDefaultLimit = 100;
constexpr int64_t kJsonMaxLimit = 1000;

bool PlainText(const std::string& s, std::size_t max) {
  if (s.size() > max) return false;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

// The shared body of GET /v1/audit/events and GET /v1/clients/{id}/audit: parses the
// filters, then streams every matching event in the asked format.
void StreamAuditEvents(RequestContext& ctx, AppServices& svc, domain::AuditQuery query,
                       const std::map<std::string, std::string>& params,
                       const std::string& filename) {
  std::vector<FieldError> errors;
  query.from_us = audit::TimeParam(params, "from", errors);
  query.to_us = audit::TimeParam(params, "to", errors);
  if (query.from_us && query.to_us && *query.from_us >= *query.to_us) {
    errors.push_back({"to", "invalid_range", "to must be after from"});
  }
  auto text = [&](const char* name, std::string& target, std::size_t max) {
    auto it = params.find(name);
    if (it == params.end()) return;
    if (!PlainText(it->second, max)) {
      errors.push_back({name, "invalid_value",
                        std::string(name) + " must be printable text of at most " +
                            std::to_string(max) + " characters"});
    }
    target = it->second;
  };
  text("actor", query.actor, 200);
  text("role", query.role, 20);
  text("organisation", query.organisation, 9);
  text("action", query.action, 200);
  text("outcome", query.outcome, 50);
  text("request_id", query.request_id, 128);
  if (!query.role.empty() && query.role != "operator" && query.role != "portal" &&
      query.role != "auditor" && query.role != "provider" && query.role != "system") {
    errors.push_back(
        {"role", "invalid_value", "role must be operator, portal, auditor, provider or system"});
  }
  if (!query.organisation.empty() && !domain::IsValidOrgno(query.organisation)) {
    errors.push_back(
        {"organisation", "invalid_orgno", "organisation must be a valid organisation number"});
  }
  if (auto it = params.find("client_id"); it != params.end()) {
    if (!PlainText(it->second, 100) || it->second.empty()) {
      errors.push_back({"client_id", "invalid_value", "client_id must be a client identifier"});
    } else {
      query.client_ids.push_back(it->second);
    }
  }
  if (auto it = params.find("order"); it != params.end()) {
    if (it->second == "newest")
      query.newest_first = true;
    else if (it->second == "oldest")
      query.newest_first = false;
    else
      errors.push_back({"order", "invalid_value", "order must be newest or oldest"});
  }
  if (auto it = params.find("cursor"); it != params.end() && !it->second.empty()) {
    Poco::Int64 seq = 0;
    if (!Poco::NumberParser::tryParse64(it->second, seq) || seq < 0) {
      errors.push_back({"cursor", "invalid", "cursor must be the seq of the last event received"});
    } else {
      query.cursor = seq;
    }
  }
  audit::Format format = audit::Format::kJson;
  try {
    format = audit::ReadFormat(ctx, params, true, false);
  } catch (const AppError& e) {
    errors.insert(errors.end(), e.field_errors().begin(), e.field_errors().end());
  }
  if (auto it = params.find("limit"); it != params.end()) {
    Poco::Int64 n = 0;
    const int64_t max =
        format == audit::Format::kJson ? kJsonMaxLimit : std::numeric_limits<int64_t>::max();
    if (!Poco::NumberParser::tryParse64(it->second, n) || n < 1 || n > max) {
      errors.push_back({"limit", "out_of_range",
                        format == audit::Format::kJson ? "limit must be between 1 and 1000 for JSON"
                                                       : "limit must be a positive number"});
    } else {
      query.limit = n;
    }
  } else if (format == audit::Format::kJson) {
    query.limit = kJsonDefaultLimit;
  }
  if (!errors.empty())
    throw AppError(ErrorCode::kValidation, "the audit query is invalid", "", errors);

  if (format == audit::Format::kJson) {
    // A page: one row more than the limit tells whether there is a next page.
    const int64_t page = *query.limit;
    query.limit = page + 1;
    audit::StreamingBody body(ctx, "application/json");
    body.buffer() += "{\"items\":[";
    int64_t written = 0;
    int64_t last_seq = 0;
    bool more = false;
    svc.audit_log.Stream(query, [&](const domain::SealedAuditEvent& e) {
      if (written == page) {
        more = true;
        return;
      }
      if (written > 0) body.buffer().push_back(',');
      domain::AppendAuditJson(body.buffer(), e);
      ++written;
      last_seq = e.seq;
      body.MaybeFlush();
    });
    body.buffer() += "],\"next_cursor\":";
    body.buffer() += more ? "\"" + std::to_string(last_seq) + "\"" : std::string("null");
    body.buffer() += "}";
    body.Finish();
    return;
  }
  const bool csv = format == audit::Format::kCsv;
  audit::StreamingBody body(
      ctx, csv ? "text/csv; charset=utf-8; header=present" : "application/x-ndjson",
      csv ? "attachment; filename=\"" + filename + ".csv\"" : "");
  if (csv) body.buffer() += domain::AuditCsvHeader();
  svc.audit_log.Stream(query, [&](const domain::SealedAuditEvent& e) {
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

void AuditEventsGet(RequestContext& ctx, AppServices& svc) {
  const auto params = audit::QueryParams(ctx, kParams);
  StreamAuditEvents(ctx, svc, domain::AuditQuery{}, params, "audit-events");
}

void ClientAuditGet(RequestContext& ctx, AppServices& svc) {
  std::set<std::string> known = kParams;
  known.erase("client_id");
  const auto params = audit::QueryParams(ctx, known);
  domain::AuditQuery query;
  query.client_ids = svc.audit_log.ClientLineage(ctx.Param("client_id"), query.target_ids);
  if (query.client_ids.empty())
    throw AppError(ErrorCode::kNotFound, "no client with this client_id");
  StreamAuditEvents(ctx, svc, std::move(query), params,
                    "client-" + ctx.Param("client_id") + "-audit");
}

}  // namespace onboard::http::handlers
