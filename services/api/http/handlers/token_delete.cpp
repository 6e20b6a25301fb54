#include "authenticator.hpp"
#include "codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

namespace {
bool LooksLikeUuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-'
             : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
      return false;
  }
  return true;
}
}  // namespace

void TokenDelete(RequestContext& ctx, AppServices& svc) {
  const std::string& id = ctx.Param("token_id");
  if (!LooksLikeUuid(id)) throw AppError(ErrorCode::kNotFound, "no active token with this id");
  domain::AuditEvent audit = ctx.Audit("token.revoke", "api_token", id, "");
  domain::ApiToken revoked = svc.tokens.Revoke(id, audit);
  svc.auth.Invalidate();
  WriteJson(ctx, 200, *TokenJson(revoked));
}

}  // namespace onboard::http::handlers
