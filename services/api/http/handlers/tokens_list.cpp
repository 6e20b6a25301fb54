#include "codecs.hpp"
#include "common_codecs.hpp"
#include "handlers.hpp"

namespace onboard::http::handlers {

void TokensList(RequestContext& ctx, AppServices& svc) {
  WriteJson(ctx, 200, ListJson(svc.use_cases.tokens.List(), TokenJson));
}

}  // namespace onboard::http::handlers
