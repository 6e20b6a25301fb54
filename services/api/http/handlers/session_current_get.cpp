#include "handlers.hpp"
#include "json_io.hpp"
#include "session_auth.hpp"
#include "sessions.hpp"

namespace onboard::http::handlers {

// Who am I: the console reads its role, CSRF token and expiry here after a reload.
void SessionCurrentGet(RequestContext& ctx, AppServices& svc) {
  const CurrentSessionInfo current = CurrentSession(ctx, svc);
  WriteJson(ctx, 200,
            *SessionJson(current.session, current.csrf_token,
                         svc.use_cases.sessions.policy().idle_timeout_s));
}

}  // namespace onboard::http::handlers
