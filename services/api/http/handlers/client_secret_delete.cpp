#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

// Revokes one secret at once (no grace); a delivery still carrying it is stopped.
void ClientSecretDelete(RequestContext& ctx, AppServices& svc) {
  svc.use_cases.secrets.Revoke(ctx.UseCaseCaller(), ctx.Param("client_id"), ctx.Param("secret_id"));
  WriteNoContent(ctx);
}

}  // namespace onboard::http::handlers
