#pragma once

#include <string>

#include "app_services.hpp"
#include "request_context.hpp"

namespace onboard::usecases {
class OidcSignIn;
}

namespace onboard::http::handlers {

/// The OpenID Connect sign-in of the configuration; AppError(kConflict) when the console
/// does not offer it (`session.sign_in_methods`).
usecases::OidcSignIn& OidcSignInOf(AppServices& svc);

/// True when `method` (token, oidc) is one of session.sign_in_methods.
bool SignInMethodOffered(const AppConfig& config, const std::string& method);

/// The flow cookie that binds a callback to the browser that started the sign-in:
/// SameSite=Lax (the provider's redirect back is a cross-site navigation), HttpOnly,
/// `__Host-` with Secure like the session cookie.
std::string OidcFlowCookieName(const AppConfig& config);
std::string OidcFlowSetCookie(const AppConfig& config, const std::string& value);
std::string OidcFlowClearCookie(const AppConfig& config);

/// Answers a redirect (no body, not cacheable).
void Redirect(RequestContext& ctx, int status, const std::string& location);

}  // namespace onboard::http::handlers
