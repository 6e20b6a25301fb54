#include "oidc_common.hpp"

#include <algorithm>

#include "error.hpp"
#include "oidc_sign_in.hpp"
#include "session_auth.hpp"

namespace onboard::http::handlers {

usecases::OidcSignIn& OidcSignInOf(AppServices& svc) {
  if (svc.use_cases.oidc == nullptr || !SignInMethodOffered(svc.config, "oidc"))
    // 409, not 404: the route exists, the configuration does not offer it.
    throw AppError(ErrorCode::kConflict, "single sign-on is not configured here", "", {},
                   "sign_in_method_not_offered");
  return *svc.use_cases.oidc;
}

bool SignInMethodOffered(const AppConfig& config, const std::string& method) {
  const auto& m = config.session.sign_in_methods;
  return std::find(m.begin(), m.end(), method) != m.end();
}

std::string OidcFlowCookieName(const AppConfig& config) {
  return SessionCookieFor(config).secure ? "__Host-onboard_oidc_flow" : "onboard_oidc_flow";
}

std::string OidcFlowSetCookie(const AppConfig& config, const std::string& value) {
  return OidcFlowCookieName(config) + "=" + value +
         "; Path=/; Max-Age=" + std::to_string(config.oidc.flow_ttl_s) +
         "; HttpOnly; SameSite=Lax" + (SessionCookieFor(config).secure ? "; Secure" : "");
}

std::string OidcFlowClearCookie(const AppConfig& config) {
  return OidcFlowCookieName(config) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" +
         (SessionCookieFor(config).secure ? "; Secure" : "");
}

void Redirect(RequestContext& ctx, int status, const std::string& location) {
  ctx.status = status;
  ctx.response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  ctx.response.set("Location", location);
  ctx.response.set("Cache-Control", "no-store");
  ctx.response.setContentLength(0);
  ctx.response.send();
}

}  // namespace onboard::http::handlers
