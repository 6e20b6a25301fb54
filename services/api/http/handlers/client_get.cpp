#include "client_common.hpp"
#include "handlers.hpp"

namespace onboard::http::handlers {

void ClientGet(RequestContext& ctx, AppServices& svc) {
  client_common::WriteClient(ctx, 200, client_common::LoadVisible(ctx, svc));
}

}  // namespace onboard::http::handlers
