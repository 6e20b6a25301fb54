#include "session_auth.hpp"

#include <Poco/Net/NameValueCollection.h>
#include <Poco/URI.h>

#include "authenticator.hpp"
#include "error.hpp"
#include "sessions.hpp"

namespace onboard::http {

namespace {

bool IsLoopbackHost(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host == "::1";
}

bool IsUnsafe(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

std::optional<std::string> CookieValue(const Poco::Net::HTTPServerRequest& request,
                                       const std::string& name) {
  if (!request.has("Cookie")) return std::nullopt;
  Poco::Net::NameValueCollection cookies;
  request.getCookies(cookies);
  if (!cookies.has(name)) return std::nullopt;
  return cookies.get(name);
}

}  // namespace

SessionCookie SessionCookieFor(const AppConfig& config) {
  const std::string& mode = config.session.cookie_secure;
  bool secure = mode != "never";
  if (mode == "auto" && config.http.public_base_url.rfind("http://", 0) == 0) {
    // Browsers refuse Secure cookies from plain http except from loopback (Chromium 156
    // was checked against 127.0.0.1 and localhost; see README "Console").
    std::string host;
    try {
      host = Poco::URI(config.http.public_base_url).getHost();
    } catch (const Poco::Exception&) {
    }
    secure = IsLoopbackHost(host);
  }
  return secure ? SessionCookie{"__Host-onboard_session", true}
                : SessionCookie{"onboard_session", false};
}

std::string SessionSetCookie(const AppConfig& config, const std::string& secret) {
  const SessionCookie cookie = SessionCookieFor(config);
  return cookie.name + "=" + secret +
         "; Path=/; Max-Age=" + std::to_string(config.session.absolute_timeout_s) +
         "; HttpOnly; SameSite=Strict" + (cookie.secure ? "; Secure" : "");
}

std::string SessionClearCookie(const AppConfig& config) {
  const SessionCookie cookie = SessionCookieFor(config);
  return cookie.name + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" +
         (cookie.secure ? "; Secure" : "");
}

Caller AuthenticateRequest(RequestContext& ctx, AppServices& services) {
  if (ctx.request.has("Authorization"))
    return services.auth.Authenticate(ctx.request, &ctx.presented);
  const std::optional<std::string> secret =
      CookieValue(ctx.request, SessionCookieFor(services.config).name);
  if (!secret) return services.auth.Authenticate(ctx.request, &ctx.presented);
  Caller caller = usecases::SessionIdentity(services.use_cases.sessions.Resolve(
      *secret, IsUnsafe(ctx.request.getMethod()), ctx.request.get("X-CSRF-Token", "")));
  ctx.presented = usecases::PresentedBy(caller);
  return caller;
}

CurrentSessionInfo CurrentSession(RequestContext& ctx, AppServices& services) {
  const std::optional<std::string> secret =
      ctx.caller && !ctx.caller->session_id.empty()
          ? CookieValue(ctx.request, SessionCookieFor(services.config).name)
          : std::nullopt;
  if (!secret) {
    throw AppError(ErrorCode::kNotFound, "this request was not made with a session", "", {},
                   "no_session");
  }
  return {services.use_cases.sessions.Resolve(*secret, false, ""), domain::CsrfTokenFor(*secret)};
}

}  // namespace onboard::http
