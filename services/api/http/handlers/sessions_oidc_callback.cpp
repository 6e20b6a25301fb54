#include <Poco/Net/NameValueCollection.h>

#include "handlers.hpp"
#include "oidc_common.hpp"
#include "oidc_sign_in.hpp"
#include "session_auth.hpp"

namespace onboard::http::handlers {

// The identity provider's redirect back: the use case checks the flow and the ID token and
// opens the console session; the browser gets the session cookie and goes on to the page
// it started from. The flow cookie is dropped whatever the outcome.
void SessionsOidcCallback(RequestContext& ctx, AppServices& svc) {
  usecases::OidcSignIn& oidc = OidcSignInOf(svc);
  usecases::OidcCallback callback{ctx.Query("state"), ctx.Query("code"), ctx.Query("error"), ""};
  if (ctx.request.has("Cookie")) {
    Poco::Net::NameValueCollection cookies;
    ctx.request.getCookies(cookies);
    callback.binding = cookies.get(OidcFlowCookieName(svc.config), "");
  }
  ctx.response.add("Set-Cookie", OidcFlowClearCookie(svc.config));
  usecases::FinishedOidcSignIn done =
      oidc.Finish(callback, {ctx.request_id, ctx.source_ip, ctx.request.get("User-Agent", "")});
  ctx.response.add("Set-Cookie", SessionSetCookie(svc.config, done.opened.secret.reveal()));
  Redirect(ctx, 303, done.return_to);
}

}  // namespace onboard::http::handlers
