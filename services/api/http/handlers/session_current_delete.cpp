#include "handlers.hpp"
#include "json_io.hpp"
#include "session_auth.hpp"
#include "sessions.hpp"

namespace onboard::http::handlers {

// Sign-out: the session ends server-side (its cookie gets 401 on every instance) and the
// browser is told to drop the cookie.
void SessionCurrentDelete(RequestContext& ctx, AppServices& svc) {
  const CurrentSessionInfo current = CurrentSession(ctx, svc);
  svc.use_cases.sessions.SignOut(
      current.session, {ctx.request_id, ctx.source_ip, ctx.request.get("User-Agent", "")});
  ctx.response.add("Set-Cookie", SessionClearCookie(svc.config));
  ctx.status = 204;
  ctx.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
  ctx.response.setContentLength(0);
  ctx.response.send();
}

}  // namespace onboard::http::handlers
