#include "handlers.hpp"
#include "error.hpp"
#include "json_io.hpp"
#include "oidc_common.hpp"
#include "session_auth.hpp"
#include "sessions.hpp"

namespace onboard::http::handlers {

// Exchanges an operator's or auditor's personal token for a session cookie. Public route:
// the token in the body is the credential (a JSON body cannot come from a cross-site form).
void SessionsPost(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
  JsonFields f(*body);
  const std::string token = f.String("token", true, 200).value_or("");
  f.Finish("the sign-in request is invalid");
  if (!SignInMethodOffered(svc.config, "token"))
    throw AppError(ErrorCode::kForbidden, "sign-in with a personal token is turned off here", "",
                   {}, "sign_in_method_not_offered");
  usecases::OpenedSession opened = svc.use_cases.sessions.SignInWithToken(
      token, {ctx.request_id, ctx.source_ip, ctx.request.get("User-Agent", "")});
  ctx.response.add("Set-Cookie", SessionSetCookie(svc.config, opened.secret.reveal()));
  ctx.response.set("Location", "/v1/sessions/current");
  WriteJson(ctx, 201,
            *SessionJson(opened.session, opened.csrf_token,
                         svc.use_cases.sessions.policy().idle_timeout_s));
}

}  // namespace onboard::http::handlers
