#include "request_pipeline.hpp"

#include <algorithm>

#include "authenticator.hpp"
#include "console_assets.hpp"
#include "error_writer.hpp"
#include "log.hpp"
#include "log_line.hpp"
#include "identity.hpp"
#include "metrics.hpp"
#include "request_body.hpp"
#include "request_id.hpp"
#include "session_auth.hpp"

namespace onboard::http {

namespace {

// Who calls (the bearer token or session cookie) and whether they may call the route
// (usecases::RequireRouteAccess); a missing scope is also named in WWW-Authenticate.
void Authorize(RequestContext& ctx, AppServices& services, const Route& route) {
  ctx.caller = AuthenticateRequest(ctx, services);
  try {
    usecases::RequireRouteAccess(*ctx.caller, route.roles, route.permission,
                                 ctx.request.getMethod() + " " + ctx.route);
  } catch (const AppError& e) {
    if (e.code_name() == "insufficient_scope")
      ctx.response.set("WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
    throw;
  }
}

// No route for the path (404), or none for the method (405 + Allow).
[[noreturn]] void Unmatched(RequestContext& ctx, const RouteMatch& match) {
  if (!match.allowed.empty()) {
    std::string allow;
    for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
    ctx.response.set("Allow", allow);
    ctx.route = "(method not allowed)";
    throw AppError(ErrorCode::kMethodNotAllowed,
                   ctx.request.getMethod() + " is not allowed here; use " + allow);
  }
  ctx.route = "(unmatched)";
  throw AppError(ErrorCode::kNotFound, "no such resource");
}

void Dispatch(const Router& router, AppServices& services, RequestContext& ctx) {
  const std::string& uri = ctx.request.getURI();
  const std::string path = uri.substr(0, uri.find('?'));
  if (IsConsolePath(path)) return ServeConsole(ctx, services.config, path);
  RouteMatch match = router.Match(ctx.request.getMethod(), path);
  if (match.route == nullptr) Unmatched(ctx, match);
  ctx.route = match.route->path;
  ctx.oauth_errors = match.route->errors == ErrorStyle::kOAuthRegistration;
  ctx.params = std::move(match.params);
  ctx.permission = match.route->permission;
  if (match.route->roles != kPublic) Authorize(ctx, services, *match.route);
  match.route->handler(ctx, services);
}

// The request id (the caller's if sane), and what every answer carries.
void StartRequest(RequestContext& ctx) {
  const std::string incoming_id = ctx.request.get("X-Request-Id", "");
  ctx.request_id = SaneRequestId(incoming_id) ? incoming_id : NewRequestId();
  ctx.source_ip = ctx.request.clientAddress().host().toString();
  ctx.response.set("X-Request-Id", ctx.request_id);
  ctx.response.set("Cache-Control", "no-store");
  ctx.response.set("X-Content-Type-Options", "nosniff");
  const std::string& method = ctx.request.getMethod();
  if (method == "GET" || method == "HEAD" || method == "DELETE") {
    // No body is read for these methods; a body that is sent anyway is left unread.
    ctx.body_consumed = !HasRequestBody(ctx.request);
  }
}

// An application error's answer; refusals (401, 403) are counted in memory, and the audit
// maintenance task writes the counts every second.
void AnswerError(AppServices& services, RequestContext& ctx, const AppError& e) {
  if (e.code() == ErrorCode::kUnauthenticated || e.code() == ErrorCode::kForbidden) {
    services.refusals.Record(ctx.presented.id, ctx.presented.name, ctx.presented.role,
                             HttpStatusFor(e.code()),
                             std::chrono::duration_cast<std::chrono::microseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count());
  }
  if (ctx.response.sent()) return;
  if (ctx.oauth_errors)
    WriteRegistrationError(ctx, e, services.config.database.retry_after_s);
  else
    WriteProblem(ctx, e, services.config.database.retry_after_s);
}

// Runs the request through the one catch; returns what went wrong for the error log (empty
// when nothing did, or when the error was the caller's).
std::string Run(const Router& router, AppServices& services, RequestContext& ctx) {
  std::string failure;
  try {
    Dispatch(router, services, ctx);
    return failure;
  } catch (const AppError& e) {
    if (e.code() == ErrorCode::kInternal || e.code() == ErrorCode::kUnavailable)
      failure = e.internal();
    AnswerError(services, ctx, e);
    return failure;
  } catch (const Poco::Exception& e) {
    failure = e.displayText();
  } catch (const std::exception& e) {
    failure = e.what();
  }
  if (!ctx.response.sent())
    WriteProblem(ctx, AppError(ErrorCode::kInternal, "internal error; quote the request id"));
  return failure;
}

// The metrics, the error line of a failure, and the access-log line.
void RecordRequest(AppServices& services, const RequestContext& ctx, const std::string& failure) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.started).count();
  const int status = ctx.status != 0 ? ctx.status : static_cast<int>(ctx.response.getStatus());
  services.metrics.Observe(ctx.route, ctx.request.getMethod(), status, seconds);
  if (!failure.empty()) {
    Poco::JSON::Object f;
    f.set("request_id", ctx.request_id);
    f.set("route", ctx.route);
    f.set("error", failure);
    log::Error("request failed", f);
  }
  if (!services.config.log.access) return;
  log::Fields f;
  f.Str("request_id", ctx.request_id)
      .Str("method", ctx.request.getMethod())
      .Str("route", ctx.route)
      .Num("status", static_cast<long long>(status))
      .Num("latency_ms", seconds * 1000.0)
      .Str("source_ip", ctx.source_ip);
  if (ctx.caller) {
    f.Str("actor", ctx.caller->token_name).Str("role", domain::RoleName(ctx.caller->role));
    if (!ctx.caller->portal_user.empty()) f.Str("portal_user", ctx.caller->portal_user);
  }
  log::WriteFields(log::Level::kInfo, "access", f);
}

}  // namespace

void ServeRequest(const Router& router, AppServices& services,
                  Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
  RequestContext ctx{request, response, {}, {}, {}, {}, {}, std::chrono::steady_clock::now(),
                     false,   false,    0,  {}};
  StartRequest(ctx);
  const std::string failure = Run(router, services, ctx);
  RecordRequest(services, ctx, failure);
}

void ApiRequestPipeline::Answered(const EarlyAnswer& answer) {
  services_.metrics.Observe(answer.route, "-", answer.status, answer.seconds);
  if (answer.route == "(shed)" || !services_.config.log.access) return;
  Poco::JSON::Object f;
  f.set("request_id", answer.request_id);
  f.set("method", "-");
  f.set("route", answer.route);
  f.set("status", answer.status);
  f.set("latency_ms", answer.seconds * 1000.0);
  f.set("source_ip", answer.peer);
  f.set("code", answer.code);
  log::Info("access", f);
}

}  // namespace onboard::http
