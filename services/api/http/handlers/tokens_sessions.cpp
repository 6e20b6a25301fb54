#include <Poco/JSON/Array.h>
#include <Poco/Net/NameValueCollection.h>

#include <string>

#include "app_services.hpp"
#include "codecs.hpp"
#include "common_codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "tokens.hpp"
#include "json_io.hpp"
#include "oidc_sign_in.hpp"
#include "request_context.hpp"
#include "session_auth.hpp"
#include "sessions.hpp"

namespace onboard::http::handlers {

namespace {

// The request body of POST /v1/tokens.
usecases::NewToken ReadNewToken(const Poco::JSON::Object& body) {
  JsonFields f(body);
  usecases::NewToken command;
  command.name = f.String("name", true, 200).value_or("");
  command.role = f.String("role", true, 32).value_or("");
  if (auto days = f.Int("expires_in_days", false, 1, 3650))
    command.expires_in_days = static_cast<int>(*days);
  command.organisation = f.String("organisation", false, 9);
  command.input_errors = f.Problems();
  return command;
}

// The JSON the console reads about its session (no secret but the CSRF token).
Poco::JSON::Object::Ptr SessionJson(const domain::Session& session, const std::string& csrf_token,
                                    int idle_timeout_s) {
  return JsonObject({{"id", session.id},
                     {"method", session.method},
                     {"actor", session.actor},
                     {"display_name", session.display_name},
                     {"role", std::string(domain::RoleName(session.role))},
                     {"csrf_token", csrf_token},
                     {"created_at", session.created_at},
                     {"expires_at", session.expires_at},
                     {"absolute_expires_at", session.absolute_expires_at},
                     {"idle_timeout_s", idle_timeout_s}});
}

// Where a sign-in or sign-out comes from, for its audit event.
usecases::SessionOrigin OriginOf(const RequestContext& ctx) {
  return {ctx.request_id, ctx.source_ip, ctx.request.get("User-Agent", "")};
}

}  // namespace

// The flow cookie that binds a callback to the browser that started the sign-in:
// SameSite=Lax (the provider's redirect back is a cross-site navigation), HttpOnly,
// `__Host-` with Secure like the session cookie.
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

// Answers a redirect (no body, not cacheable).
void Redirect(RequestContext& ctx, int status, const std::string& location) {
  ctx.status = status;
  ctx.response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  ctx.response.set("Location", location);
  ctx.response.set("Cache-Control", "no-store");
  ctx.response.setContentLength(0);
  ctx.response.send();
}

// The only response that ever carries a token: shown once, stored as a hash.
void TokensPost(RequestContext& ctx, AppServices& svc) {
  const usecases::NewToken command = ReadNewToken(*ReadBody(ctx, svc));
  const domain::IssuedToken issued = svc.use_cases.tokens.Create(ctx.UseCaseCaller(), command);
  Poco::JSON::Object::Ptr out = TokenJson(issued.token);
  out->set("token", issued.secret.reveal());
  ctx.response.set("Location", "/v1/tokens/" + issued.token.id);
  WriteJson(ctx, 201, *out);
}

void TokensList(RequestContext& ctx, AppServices& svc) {
  WriteJson(ctx, 200, ListJson(svc.use_cases.tokens.List(), TokenJson));
}

void TokenDelete(RequestContext& ctx, AppServices& svc) {
  WriteJson(ctx, 200,
            *TokenJson(svc.use_cases.tokens.Revoke(ctx.UseCaseCaller(), ctx.Param("token_id"))));
}

// Exchanges an operator's or auditor's personal token for a session cookie. Public route:
// the token in the body is the credential (a JSON body cannot come from a cross-site form).
void SessionsPost(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Object::Ptr body = ReadBody(ctx, svc);
  JsonFields f(*body);
  const std::string token = f.String("token", true, 200).value_or("");
  f.Finish("the sign-in request is invalid");
  usecases::OpenedSession opened = svc.use_cases.sessions.SignInWithToken(token, OriginOf(ctx));
  ctx.response.add("Set-Cookie", SessionSetCookie(svc.config, opened.secret.reveal()));
  ctx.response.set("Location", "/v1/sessions/current");
  WriteJson(ctx, 201,
            *SessionJson(opened.session, opened.csrf_token,
                         svc.use_cases.sessions.policy().idle_timeout_s));
}

// Who am I: the console reads its role, CSRF token and expiry here after a reload.
void SessionCurrentGet(RequestContext& ctx, AppServices& svc) {
  const CurrentSessionInfo current = CurrentSession(ctx, svc);
  WriteJson(ctx, 200,
            *SessionJson(current.session, current.csrf_token,
                         svc.use_cases.sessions.policy().idle_timeout_s));
}

// Sign-out: the session ends server-side (its cookie gets 401 on every instance) and the
// browser is told to drop the cookie. A single sign-on session whose provider offers
// RP-initiated logout answers 200 with the provider's end_session URL for the browser to
// visit next; any other 204.
void SessionCurrentDelete(RequestContext& ctx, AppServices& svc) {
  const CurrentSessionInfo current = CurrentSession(ctx, svc);
  svc.use_cases.sessions.SignOut(current.session, OriginOf(ctx));
  ctx.response.add("Set-Cookie", SessionClearCookie(svc.config));
  const std::optional<std::string> logout =
      svc.use_cases.oidc ? svc.use_cases.oidc->EndSessionUrl(current.session) : std::nullopt;
  if (logout) {
    Poco::JSON::Object body;
    body.set("end_session_url", *logout);
    WriteJson(ctx, 200, body);
    return;
  }
  WriteNoContent(ctx);
}

// What the console's sign-in page offers (session.sign_in_methods): the token sign-in,
// single sign-on with the configured provider, or both.
void SessionsMethodsGet(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Array methods;
  for (const std::string& m : svc.config.session.sign_in_methods) {
    Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
    item->set("method", m);
    if (m == "oidc") {
      item->set("provider_name", svc.config.oidc.provider_name);
      item->set("issuer", svc.config.oidc.issuer);
      item->set("start_url", "/v1/sessions/oidc/start");
    } else {
      item->set("sign_in_url", "/v1/sessions");
    }
    methods.add(item);
  }
  Poco::JSON::Object out;
  out.set("methods", methods);
  WriteJson(ctx, 200, out);
}

// Starts the operators' single sign-on: the browser goes to the identity provider with an
// authorization code request (PKCE S256, state, nonce), carrying the flow cookie.
void SessionsOidcStart(RequestContext& ctx, AppServices& svc) {
  usecases::StartedOidcSignIn started =
      usecases::OfferedOidcSignIn(svc.use_cases.oidc).Start(ctx.Query("return_to"));
  ctx.response.add("Set-Cookie", OidcFlowSetCookie(svc.config, started.binding.reveal()));
  Redirect(ctx, 302, started.authorization_url);
}

// The identity provider's redirect back: the use case checks the flow and the ID token and
// opens the console session; the browser gets the session cookie and goes on to the page
// it started from. The flow cookie is dropped whatever the outcome.
void SessionsOidcCallback(RequestContext& ctx, AppServices& svc) {
  usecases::OidcSignIn& oidc = usecases::OfferedOidcSignIn(svc.use_cases.oidc);
  usecases::OidcCallback callback{ctx.Query("state"), ctx.Query("code"), ctx.Query("error"), ""};
  if (ctx.request.has("Cookie")) {
    Poco::Net::NameValueCollection cookies;
    ctx.request.getCookies(cookies);
    callback.binding = cookies.get(OidcFlowCookieName(svc.config), "");
  }
  ctx.response.add("Set-Cookie", OidcFlowClearCookie(svc.config));
  usecases::FinishedOidcSignIn done = oidc.Finish(callback, OriginOf(ctx));
  ctx.response.add("Set-Cookie", SessionSetCookie(svc.config, done.opened.secret.reveal()));
  Redirect(ctx, 303, done.return_to);
}

}  // namespace onboard::http::handlers
