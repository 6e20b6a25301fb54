#include "client_common.hpp"
#include "common_codecs.hpp"
#include "handlers.hpp"

namespace onboard::http::handlers {

// Creates a test client. Production clients come only from an approved production order,
// so nothing reaches production without accepted terms and the operator team's review.
void ClientsPost(RequestContext& ctx, AppServices& svc) {
  const usecases::NewClient command = client_common::ReadNewClient(ReadBody(ctx, svc));
  const domain::Client created = svc.use_cases.clients.Register(ctx.UseCaseCaller(), command);
  ctx.response.set("Location", "/v1/clients/" + created.client_id);
  client_common::WriteClient(ctx, 201, created);
}

}  // namespace onboard::http::handlers
