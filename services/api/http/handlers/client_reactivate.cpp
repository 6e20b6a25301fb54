#include "client_common.hpp"
#include "handlers.hpp"

namespace onboard::http::handlers {

void ClientReactivate(RequestContext& ctx, AppServices& svc) {
  const domain::Client current = client_common::LoadVisible(ctx, svc);
  client_common::CheckIfMatch(ctx, current, /*required_for_portal=*/false);
  domain::Client next = current;
  domain::ApplyClientTransition(current.state, domain::ClientTransition::kReactivate);
  // Back to where it was: a client that never had its credentials keeps waiting for them.
  next.state = domain::ReactivatedState(svc.clients.History(current.client_id));
  client_common::WriteClient(
      ctx, 200, client_common::SaveChange(ctx, svc, current, std::move(next), "reactivate"));
}

}  // namespace onboard::http::handlers
