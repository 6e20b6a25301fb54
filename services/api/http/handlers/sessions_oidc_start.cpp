#include "handlers.hpp"
#include "oidc_common.hpp"
#include "oidc_sign_in.hpp"

namespace onboard::http::handlers {

// Starts the operators' single sign-on: the browser goes to the identity provider with an
// authorization code request (PKCE S256, state, nonce), carrying the flow cookie.
void SessionsOidcStart(RequestContext& ctx, AppServices& svc) {
  usecases::StartedOidcSignIn started = OidcSignInOf(svc).Start(ctx.Query("return_to"));
  ctx.response.add("Set-Cookie", OidcFlowSetCookie(svc.config, started.binding.reveal()));
  Redirect(ctx, 302, started.authorization_url);
}

}  // namespace onboard::http::handlers
