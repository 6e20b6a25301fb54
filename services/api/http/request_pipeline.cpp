#include "request_pipeline.hpp"

#include <algorithm>

#include "authenticator.hpp"
#include "console_assets.hpp"
#include "crypto.hpp"
#include "error_writer.hpp"
#include "log.hpp"
#include "log_line.hpp"
#include "metrics.hpp"
#include "session_auth.hpp"

namespace onboard::http {

namespace {

// A request id only has to be unique, not secret: a per-thread 128-bit state seeded once
// from the CSPRNG and advanced by splitmix64 gives distinct UUIDv4-shaped ids without a
// trip through OpenSSL's locked DRBG on every request (7% of a one-row read).
std::string NewRequestId() {
  struct State {
    uint64_t hi = 0, lo = 0;
    State() {
      const std::string seed = crypto::RandomBytes(16);
      for (int i = 0; i < 8; ++i)
        hi = (hi << 8) | static_cast<unsigned char>(seed[static_cast<std::size_t>(i)]);
      for (int i = 8; i < 16; ++i)
        lo = (lo << 8) | static_cast<unsigned char>(seed[static_cast<std::size_t>(i)]);
    }
  };
  thread_local State state;
  const auto mix = [](uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  state.lo += 0x9e3779b97f4a7c15ULL;
  uint64_t a = mix(state.hi ^ state.lo);
  uint64_t b = mix(state.lo) ^ state.hi;
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  std::size_t pos = 0;
  const auto put = [&](uint64_t v, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
      out[pos++] = kHex[(v >> (i * 4)) & 0xf];
    }
  };
  put(a, 16);
  put(b, 16);
  return out;
}

bool SaneRequestId(const std::string& id) {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
  });
}

// An access token calls a route that names a permission its scopes grant, or any such
// route with idporten:dcr.supplier (the client it touches must then be one it supplies).
void RequireScope(RequestContext& ctx) {
  const domain::Permission p = ctx.permission;
  if (p == domain::Permission::kNone) {
    throw AppError(ErrorCode::kForbidden,
                   "access tokens may not call " + ctx.request.getMethod() + " " + ctx.route, "",
                   {}, "access_token_not_allowed");
  }
  if ((ctx.caller->permissions & domain::Bit(p)) != 0 || ctx.caller->supplier) return;
  const std::string scopes = domain::ScopesGranting(p);
  ctx.response.set("WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
  throw AppError(ErrorCode::kForbidden, "this operation needs the scope " + scopes, "", {},
                 "insufficient_scope");
}

void Dispatch(const Router& router, AppServices& services, RequestContext& ctx) {
  const std::string& uri = ctx.request.getURI();
  const std::string path = uri.substr(0, uri.find('?'));
  if (IsConsolePath(path)) return ServeConsole(ctx, services.config, path);
  RouteMatch match = router.Match(ctx.request.getMethod(), path);
  if (match.route == nullptr) {
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
  ctx.route = match.route->path;
  ctx.oauth_errors = match.route->errors == ErrorStyle::kOAuthRegistration;
  ctx.params = std::move(match.params);
  ctx.permission = match.route->permission;
  if (match.route->roles != kPublic) {
    ctx.caller = AuthenticateRequest(ctx, services);
    if (ctx.caller->access_token) {
      RequireScope(ctx);
    } else if ((match.route->roles & domain::RoleBit(ctx.caller->role)) == 0) {
      throw AppError(ErrorCode::kForbidden,
                     "the " + std::string(domain::RoleName(ctx.caller->role)) +
                         " role may not call " + ctx.request.getMethod() + " " + ctx.route);
    }
  }
  match.route->handler(ctx, services);
}

}  // namespace

void ServeRequest(const Router& router, AppServices& services,
                  Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
  RequestContext ctx{request, response, {}, {}, {}, {}, {}, std::chrono::steady_clock::now(),
                     false,   false,    0,  {}};
  const std::string incoming_id = request.get("X-Request-Id", "");
  ctx.request_id = SaneRequestId(incoming_id) ? incoming_id : NewRequestId();
  ctx.source_ip = request.clientAddress().host().toString();
  response.set("X-Request-Id", ctx.request_id);
  response.set("Cache-Control", "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  if (request.getMethod() == "GET" || request.getMethod() == "HEAD" ||
      request.getMethod() == "DELETE") {
    // No body is read for these methods; a body that is sent anyway is left unread.
    ctx.body_consumed = !request.hasContentLength() || request.getContentLength64() == 0;
  }
  std::string failure;
  try {
    Dispatch(router, services, ctx);
  } catch (const AppError& e) {
    if (e.code() == ErrorCode::kInternal || e.code() == ErrorCode::kUnavailable)
      failure = e.internal();
    if (e.code() == ErrorCode::kUnauthenticated || e.code() == ErrorCode::kForbidden) {
      // Counted in memory; the audit maintenance task writes the counts every second.
      services.refusals.Record(ctx.presented.id, ctx.presented.name, ctx.presented.role,
                               HttpStatusFor(e.code()),
                               std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
    }
    if (!response.sent()) {
      if (ctx.oauth_errors)
        WriteRegistrationError(ctx, e, services.config.database.retry_after_s);
      else
        WriteProblem(ctx, e, services.config.database.retry_after_s);
    }
  } catch (const Poco::Exception& e) {
    failure = e.displayText();
    if (!response.sent())
      WriteProblem(ctx, AppError(ErrorCode::kInternal, "internal error; quote the request id"));
  } catch (const std::exception& e) {
    failure = e.what();
    if (!response.sent())
      WriteProblem(ctx, AppError(ErrorCode::kInternal, "internal error; quote the request id"));
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.started).count();
  const int status = ctx.status != 0 ? ctx.status : static_cast<int>(response.getStatus());
  services.metrics.Observe(ctx.route, request.getMethod(), status, seconds);
  if (!failure.empty()) {
    Poco::JSON::Object f;
    f.set("request_id", ctx.request_id);
    f.set("route", ctx.route);
    f.set("error", failure);
    log::Error("request failed", f);
  }
  if (services.config.log.access) {
    log::Fields f;
    f.Str("request_id", ctx.request_id)
        .Str("method", request.getMethod())
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
