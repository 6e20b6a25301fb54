#include "authenticator.hpp"
#include "codecs.hpp"
#include "uuid.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

void TokenDelete(RequestContext& ctx, AppServices& svc) {
  const std::string& id = ctx.Param("token_id");
  if (!IsUuid(id)) throw AppError(ErrorCode::kNotFound, "no active token with this id");
  domain::AuditEvent audit = ctx.Audit("token.revoke", "api_token", id, "");
  domain::ApiToken revoked = svc.tokens.Revoke(id, audit);
  svc.auth.Invalidate();
  WriteJson(ctx, 200, *TokenJson(revoked));
}

}  // namespace onboard::http::handlers
