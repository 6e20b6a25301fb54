#include "codecs.hpp"
#include "handlers.hpp"

namespace onboard::http::handlers {

void TokenDelete(RequestContext& ctx, AppServices& svc) {
  WriteJson(ctx, 200,
            *TokenJson(svc.use_cases.tokens.Revoke(ctx.UseCaseCaller(), ctx.Param("token_id"))));
}

}  // namespace onboard::http::handlers
