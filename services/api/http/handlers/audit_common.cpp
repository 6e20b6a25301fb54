#include "audit_common.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/NumberParser.h>
#include <Poco/URI.h>

#include <cmath>

#include "error.hpp"
#include "orgno.hpp"

namespace onboard::http::audit {

namespace {
constexpr std::size_t kFlushBytes = 64 * 1024;

void CsvRow(std::string& out, std::string_view section, std::string_view key,
            std::string_view value) {
  domain::AppendCsvField(out, section);
  out.push_back(',');
  domain::AppendCsvField(out, key);
  out.push_back(',');
  domain::AppendCsvField(out, value);
  out += "\r\n";
}

std::string Num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}
}  // namespace

std::map<std::string, std::string> QueryParams(const RequestContext& ctx,
                                               const std::set<std::string>& known) {
  Poco::URI::QueryParameters parameters;
  try {
    parameters = Poco::URI(ctx.request.getURI()).getQueryParameters();
  } catch (const Poco::Exception& e) {
    throw AppError(ErrorCode::kBadRequest, "the query string is not valid percent-encoding",
                   e.displayText(), {}, "malformed_query");
  }
  std::map<std::string, std::string> out;
  std::vector<FieldError> errors;
  for (const auto& [k, v] : parameters) {
    if (!known.contains(k)) {
      errors.push_back({k, "unknown_parameter", "unknown query parameter " + k});
    } else if (!out.emplace(k, v).second) {
      errors.push_back({k, "repeated", k + " may be given once"});
    }
  }
  if (!errors.empty())
    throw AppError(ErrorCode::kValidation, "the query has unknown or repeated parameters", "",
                   errors);
  return out;
}

Format ReadFormat(const RequestContext& ctx, const std::map<std::string, std::string>& params,
                  bool ndjson_ok, bool html_ok, std::vector<FieldError>& errors) {
  if (auto it = params.find("format"); it != params.end()) {
    if (it->second == "json") return Format::kJson;
    if (it->second == "csv") return Format::kCsv;
    if (it->second == "ndjson" && ndjson_ok) return Format::kNdjson;
    if (it->second == "html" && html_ok) return Format::kHtml;
    std::string allowed =
        std::string("json, ") + (ndjson_ok ? "ndjson, " : "") + (html_ok ? "html, " : "") + "csv";
    errors.push_back({"format", "invalid_value", "format must be one of " + allowed});
    return Format::kJson;
  }
  const std::string accept = ctx.request.get("Accept", "");
  if (accept.find("text/csv") != std::string::npos) return Format::kCsv;
  if (ndjson_ok && (accept.find("application/x-ndjson") != std::string::npos ||
                    accept.find("application/ndjson") != std::string::npos)) {
    return Format::kNdjson;
  }
  if (html_ok && accept.find("text/html") != std::string::npos) return Format::kHtml;
  return Format::kJson;
}

usecases::ReportRequest ReadReportRequest(const RequestContext& ctx,
                                          const std::set<std::string>& known, bool html_ok) {
  usecases::ReportRequest request;
  request.params = QueryParams(ctx, known);
  request.format = ReadFormat(ctx, request.params, false, html_ok, request.format_errors);
  return request;
}

usecases::EventSearch ReadEventSearch(const RequestContext& ctx, const std::string& without) {
  std::set<std::string> known = {"from",      "to",     "actor",   "role",       "organisation",
                                 "client_id", "action", "outcome", "request_id", "cursor",
                                 "order",     "limit",  "format"};
  known.erase(without);
  usecases::EventSearch search;
  search.params = QueryParams(ctx, known);
  search.format = ReadFormat(ctx, search.params, true, false, search.format_errors);
  return search;
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
  buffer_.reserve(kFlushBytes + 8192);
}

void StreamingBody::SendBuffer() {
  if (out_ == nullptr) {
    ctx_.status = 200;
    ctx_.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
    ctx_.response.setContentType(content_type_);
    if (!disposition_.empty()) ctx_.response.set("Content-Disposition", disposition_);
    ctx_.response.setChunkedTransferEncoding(true);
    out_ = &ctx_.response.send();
  }
  out_->write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  out_->flush();
  buffer_.clear();
  if (!out_->good()) {
    throw AppError(ErrorCode::kUnavailable, "the caller stopped reading",
                   "client went away during a streamed answer", {}, "client_gone");
  }
}

void StreamingBody::MaybeFlush() {
  if (buffer_.size() >= kFlushBytes) SendBuffer();
}

void StreamingBody::Finish() {
  if (out_ == nullptr) {
    ctx_.status = 200;
    ctx_.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
    ctx_.response.setContentType(content_type_);
    if (!disposition_.empty()) ctx_.response.set("Content-Disposition", disposition_);
    ctx_.response.setContentLength64(static_cast<Poco::Int64>(buffer_.size()));
    ctx_.response.send().write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
    return;
  }
  if (!buffer_.empty()) SendBuffer();
}

Poco::JSON::Object ChainReportJson(const domain::ChainReport& v) {
  Poco::JSON::Object out;
  out.set("intact", v.intact);
  out.set("checked", v.checked);
  out.set("first_seq", v.first_seq);
  out.set("last_seq", v.last_seq);
  out.set("checkpoints_checked", v.checkpoints_checked);
  out.set("checkpoints_unverifiable", v.checkpoints_unverifiable);
  out.set("pruned_through", v.pruned_through);
  if (!v.intact) {
    out.set("broken_seq", v.broken_seq ? Poco::Dynamic::Var(*v.broken_seq) : Poco::Dynamic::Var());
    if (v.broken_checkpoint_id) out.set("broken_checkpoint_id", *v.broken_checkpoint_id);
    out.set("reason", v.reason);
    out.set("expected_hash", v.expected_hash);
    out.set("found_hash", v.found_hash);
  }
  return out;
}

void SetPeriod(Poco::JSON::Object& body, const domain::ReportPeriod& period) {
  body.set("from", domain::Rfc3339FromMicros(period.from_us));
  body.set("to", domain::Rfc3339FromMicros(period.to_us));
  body.set("organisation", period.organisation.empty() ? Poco::Dynamic::Var()
                                                       : Poco::Dynamic::Var(period.organisation));
}

Poco::JSON::Object OnboardingReportJson(const domain::ReportPeriod& period,
                                        const domain::OnboardingReport& r) {
  Poco::JSON::Object body;
  SetPeriod(body, period);
  Poco::JSON::Object cases;
  int64_t total = 0;
  for (const auto& [state, n] : r.cases_by_state) {
    cases.set(state, n);
    total += n;
  }
  body.set("cases_by_state", cases);
  body.set("cases_opened", total);
  Poco::JSON::Object orders;
  orders.set("submitted", r.orders_submitted);
  orders.set("approved", r.orders_approved);
  orders.set("rejected", r.orders_rejected);
  body.set("production_orders", orders);
  Poco::JSON::Object ttp;
  ttp.set("approvals_measured", r.approvals_measured);
  ttp.set("median_s", r.median_time_to_production_s
                          ? Poco::Dynamic::Var(*r.median_time_to_production_s)
                          : Poco::Dynamic::Var());
  ttp.set("p90_s", r.p90_time_to_production_s ? Poco::Dynamic::Var(*r.p90_time_to_production_s)
                                              : Poco::Dynamic::Var());
  body.set("time_to_production", ttp);
  Poco::JSON::Object waiting;
  waiting.set("as_of", domain::Rfc3339FromMicros(r.as_of_us));
  waiting.set("count", static_cast<int64_t>(r.orders_waiting.size()));
  Poco::JSON::Array items;
  for (const auto& w : r.orders_waiting) {
    Poco::JSON::Object o;
    o.set("order_id", w.id);
    o.set("organisation", w.organisation);
    o.set("submitted_at", w.submitted_at);
    o.set("age_s", w.age_s);
    items.add(o);
  }
  waiting.set("orders", items);
  waiting.set("oldest_age_s", r.orders_waiting.empty()
                                  ? Poco::Dynamic::Var()
                                  : Poco::Dynamic::Var(r.orders_waiting.front().age_s));
  body.set("orders_waiting", waiting);
  return body;
}

Poco::JSON::Object AccessReportJson(const domain::ReportPeriod& period,
                                    const domain::AccessReport& r) {
  Poco::JSON::Object body;
  SetPeriod(body, period);
  Poco::JSON::Array actions;
  for (const auto& a : r.actions) {
    Poco::JSON::Object o;
    o.set("actor", a.actor);
    o.set("role", a.role);
    o.set("actions", a.actions);
    o.set("not_successful", a.not_successful);
    actions.add(o);
  }
  body.set("actions_per_actor", actions);
  if (r.refusals_included) {
    Poco::JSON::Array refusals;
    for (const auto& t : r.refusals) {
      Poco::JSON::Object o;
      o.set("token", t.token_key);
      o.set("token_name", t.token_name);
      o.set("role", t.role);
      o.set("status", t.status);
      o.set("count", t.count);
      refusals.add(o);
    }
    body.set("refused_requests", refusals);
  } else {
    body.set("refused_requests", Poco::Dynamic::Var());
  }
  return body;
}

std::string OnboardingReportCsv(const domain::OnboardingReport& r) {
  std::string out = "section,key,value\r\n";
  for (const auto& [state, n] : r.cases_by_state)
    CsvRow(out, "cases_by_state", state, std::to_string(n));
  CsvRow(out, "production_orders", "submitted", std::to_string(r.orders_submitted));
  CsvRow(out, "production_orders", "approved", std::to_string(r.orders_approved));
  CsvRow(out, "production_orders", "rejected", std::to_string(r.orders_rejected));
  CsvRow(out, "time_to_production", "approvals_measured", std::to_string(r.approvals_measured));
  CsvRow(out, "time_to_production", "median_s",
         r.median_time_to_production_s ? Num(*r.median_time_to_production_s) : "");
  CsvRow(out, "time_to_production", "p90_s",
         r.p90_time_to_production_s ? Num(*r.p90_time_to_production_s) : "");
  CsvRow(out, "orders_waiting", "count", std::to_string(r.orders_waiting.size()));
  for (const auto& w : r.orders_waiting)
    CsvRow(out, "orders_waiting_age_s", w.id, std::to_string(w.age_s));
  return out;
}

std::string AccessReportCsv(const domain::AccessReport& r) {
  std::string out = "section,key,value\r\n";
  for (const auto& a : r.actions) {
    CsvRow(out, "actions_per_actor", a.actor + " (" + a.role + ")", std::to_string(a.actions));
  }
  for (const auto& t : r.refusals) {
    CsvRow(out, "refused_requests_" + std::to_string(t.status),
           t.token_key + (t.token_name.empty() ? "" : " (" + t.token_name + ")"),
           std::to_string(t.count));
  }
  return out;
}

namespace {
Poco::Dynamic::Var Rate(int64_t ok, int64_t failed) {
  if (ok + failed == 0) return Poco::Dynamic::Var();
  return static_cast<double>(ok) / static_cast<double>(ok + failed);
}
}  // namespace

Poco::JSON::Object CredentialsReportJson(const domain::ReportPeriod& period,
                                         const domain::CredentialsReport& r) {
  Poco::JSON::Object body;
  SetPeriod(body, period);
  Poco::JSON::Object secrets;
  secrets.set("issued", r.issued);
  secrets.set("rotated", r.rotated);
  secrets.set("revoked", r.revoked);
  body.set("secrets", secrets);
  body.set("expiring_within_days", r.expiring_within_days);
  Poco::JSON::Array expiring;
  for (const auto& e : r.expiring) {
    Poco::JSON::Object o;
    o.set("client_id", e.client_id);
    o.set("secret_id", e.secret_id);
    o.set("organisation", e.organisation);
    o.set("environment", e.environment);
    o.set("expires_at", e.expires_at);
    o.set("days_left", e.days_left);
    o.set("superseded", e.superseded);
    expiring.add(o);
  }
  body.set("secrets_expiring", expiring);
  Poco::JSON::Array certificates;
  for (const auto& c : r.certificates_expiring) {
    Poco::JSON::Object o;
    o.set("client_id", c.client_id);
    o.set("key_id", c.key_id);
    o.set("kid", c.kid);
    o.set("organisation", c.organisation);
    o.set("environment", c.environment);
    o.set("subject", c.subject);
    o.set("certificate_orgno", c.certificate_orgno);
    o.set("issuer", c.issuer);
    o.set("serial", c.serial);
    o.set("thumbprint", c.thumbprint);
    o.set("not_after", c.not_after);
    o.set("days_left", c.days_left);
    certificates.add(o);
  }
  body.set("certificates_expiring", certificates);
  Poco::JSON::Array in_use;
  for (const auto& u : r.rotated_in_use) {
    Poco::JSON::Object o;
    o.set("client_id", u.client_id);
    o.set("secret_id", u.secret_id);
    o.set("organisation", u.organisation);
    o.set("superseded_at", u.superseded_at);
    o.set("last_used_at", u.last_used_at);
    o.set("expires_at", u.expires_at);
    in_use.add(o);
  }
  body.set("clients_using_rotated_secret", in_use);
  return body;
}

Poco::JSON::Object DeliveriesReportJson(const domain::ReportPeriod& period,
                                        const domain::DeliveriesReport& r) {
  Poco::JSON::Object body;
  SetPeriod(body, period);
  Poco::JSON::Object sms;
  sms.set("succeeded", r.sms_succeeded);
  sms.set("failed", r.sms_failed);
  sms.set("pending", r.sms_pending);
  sms.set("success_rate", Rate(r.sms_succeeded, r.sms_failed));
  body.set("sms", sms);
  Poco::JSON::Object email;
  email.set("sent", r.email_sent);
  email.set("failed", r.email_failed);
  email.set("pending", r.email_pending);
  email.set("success_rate", Rate(r.email_sent, r.email_failed));
  body.set("email", email);
  Poco::JSON::Array failures;
  for (const auto& f : r.failures) {
    Poco::JSON::Object o;
    o.set("channel", f.channel);
    o.set("code", f.code);
    o.set("count", f.count);
    failures.add(o);
  }
  body.set("failures_by_code", failures);
  Poco::JSON::Array never;
  for (const auto& u : r.never_fetched) {
    Poco::JSON::Object o;
    o.set("delivery_id", u.delivery_id);
    o.set("client_id", u.client_id);
    o.set("organisation", u.organisation);
    o.set("package_state", u.state);
    o.set("created_at", u.created_at);
    o.set("package_expires_at", u.expires_at);
    never.add(o);
  }
  body.set("packages_never_fetched", never);
  Poco::JSON::Array alarms;
  for (const auto& a : r.second_downloads) {
    Poco::JSON::Object o;
    o.set("seq", a.seq);
    o.set("delivery_id", a.delivery_id);
    o.set("organisation", a.organisation);
    o.set("occurred_at", a.occurred_at);
    o.set("source_ip", a.source_ip);
    alarms.add(o);
  }
  body.set("second_download_alarms", alarms);
  return body;
}

std::string CredentialsReportCsv(const domain::CredentialsReport& r) {
  std::string out = "section,key,value\r\n";
  CsvRow(out, "secrets", "issued", std::to_string(r.issued));
  CsvRow(out, "secrets", "rotated", std::to_string(r.rotated));
  CsvRow(out, "secrets", "revoked", std::to_string(r.revoked));
  for (const auto& e : r.expiring)
    CsvRow(out, "secret_expiring_days_left", e.client_id, std::to_string(e.days_left));
  for (const auto& c : r.certificates_expiring) {
    const std::string key = c.client_id + " (" + c.kid + ")";
    CsvRow(out, "certificate_expiring_days_left", key, std::to_string(c.days_left));
    CsvRow(out, "certificate_expiring_not_after", key, c.not_after);
  }
  for (const auto& u : r.rotated_in_use)
    CsvRow(out, "rotated_secret_in_use", u.client_id, u.last_used_at);
  return out;
}

std::string DeliveriesReportCsv(const domain::DeliveriesReport& r) {
  std::string out = "section,key,value\r\n";
  CsvRow(out, "sms", "succeeded", std::to_string(r.sms_succeeded));
  CsvRow(out, "sms", "failed", std::to_string(r.sms_failed));
  CsvRow(out, "sms", "pending", std::to_string(r.sms_pending));
  CsvRow(out, "email", "sent", std::to_string(r.email_sent));
  CsvRow(out, "email", "failed", std::to_string(r.email_failed));
  CsvRow(out, "email", "pending", std::to_string(r.email_pending));
  for (const auto& f : r.failures)
    CsvRow(out, "failures_" + f.channel, f.code, std::to_string(f.count));
  for (const auto& u : r.never_fetched)
    CsvRow(out, "package_never_fetched", u.delivery_id, u.state);
  for (const auto& a : r.second_downloads)
    CsvRow(out, "second_download_alarm", a.delivery_id, a.occurred_at);
  return out;
}

}  // namespace onboard::http::audit
