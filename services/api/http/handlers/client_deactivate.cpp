#include "client_common.hpp"
#include "handlers.hpp"

namespace onboard::http::handlers {

void ClientDeactivate(RequestContext& ctx, AppServices& svc) {
  const auto command = client_common::ReadStateChange(ctx);
  client_common::WriteClient(ctx, 200,
                             svc.use_cases.clients.Deactivate(ctx.UseCaseCaller(), command));
}

}  // namespace onboard::http::handlers
