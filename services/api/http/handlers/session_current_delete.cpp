#include "handlers.hpp"
#include "json_io.hpp"
#include "oidc_sign_in.hpp"
#include "session_auth.hpp"
#include "sessions.hpp"

namespace onboard::http::handlers {

// Sign-out: the session ends server-side (its cookie gets 401 on every instance) and the
// browser is told to drop the cookie. A single sign-on session whose provider offers
// RP-initiated logout answers 200 with the provider's end_session URL for the browser to
// visit next; any other 204.
void SessionCurrentDelete(RequestContext& ctx, AppServices& svc) {
  const CurrentSessionInfo current = CurrentSession(ctx, svc);
  svc.use_cases.sessions.SignOut(
      current.session, {ctx.request_id, ctx.source_ip, ctx.request.get("User-Agent", "")});
  ctx.response.add("Set-Cookie", SessionClearCookie(svc.config));
  const std::optional<std::string> logout =
      svc.use_cases.oidc ? svc.use_cases.oidc->EndSessionUrl(current.session) : std::nullopt;
  if (logout) {
    Poco::JSON::Object body;
    body.set("end_session_url", *logout);
    WriteJson(ctx, 200, body);
    return;
  }
  ctx.status = 204;
  ctx.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
  ctx.response.setContentLength(0);
  ctx.response.send();
}

}  // namespace onboard::http::handlers
