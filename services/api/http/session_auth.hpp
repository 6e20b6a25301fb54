#pragma once

#include <optional>
#include <string>

#include "app_services.hpp"
#include "request_context.hpp"
#include "session.hpp"

namespace onboard::http {

/// The session cookie's name and attributes, decided by the configuration alone (so every
/// instance agrees): `__Host-onboard_session` with Secure, or `onboard_session` without it
/// where the service is reached over plain http on a host other than loopback
/// (`session.cookie_secure`, README "Console").
struct SessionCookie {
  std::string name;
  bool secure = true;
};
SessionCookie SessionCookieFor(const AppConfig& config);

/// `Set-Cookie` value opening a session: HttpOnly, SameSite=Strict, Path=/, Max-Age the
/// absolute timeout, Secure per SessionCookieFor.
std::string SessionSetCookie(const AppConfig& config, const std::string& secret);
/// `Set-Cookie` value that makes the browser drop the cookie.
std::string SessionClearCookie(const AppConfig& config);

/// Authenticates a request to a non-public route: the bearer token when an Authorization
/// header is present, otherwise the session cookie when one is sent (unsafe methods must
/// carry the session's CSRF token in X-CSRF-Token), otherwise the bearer path's 401.
/// Fills ctx.presented as the refusal counter needs it. Throws AppError.
Caller AuthenticateRequest(RequestContext& ctx, AppServices& services);

/// The session of a request authenticated by its cookie (looked up again) with its CSRF
/// token, or AppError(kNotFound, `no_session`) for a bearer request.
struct CurrentSessionInfo {
  domain::Session session;
  std::string csrf_token;
};
CurrentSessionInfo CurrentSession(RequestContext& ctx, AppServices& services);

}  // namespace onboard::http
