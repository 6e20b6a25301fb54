#include "client_common.hpp"
#include "handlers.hpp"

namespace onboard::http::handlers {

void ClientDeactivate(RequestContext& ctx, AppServices& svc) {
  const domain::Client current = client_common::LoadVisible(ctx, svc);
  client_common::CheckIfMatch(ctx, current, /*required_for_portal=*/false);
  domain::Client next = current;
  next.state = domain::ApplyClientTransition(current.state, domain::ClientTransition::kDeactivate);
  client_common::WriteClient(
      ctx, 200, client_common::SaveChange(ctx, svc, current, std::move(next), "deactivate"));
}

}  // namespace onboard::http::handlers
