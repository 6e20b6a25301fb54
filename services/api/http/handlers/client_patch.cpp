#include "client_common.hpp"
#include "common_codecs.hpp"
#include "handlers.hpp"

namespace onboard::http::handlers {

// RFC 7396 merge patch over the client's metadata.
void ClientPatch(RequestContext& ctx, AppServices& svc) {
  const auto body = ReadBody(ctx, svc, "application/merge-patch+json");
  auto command = client_common::ReadMetadataChange(ctx, body);
  client_common::WriteClient(ctx, 200, svc.use_cases.clients.Patch(ctx.UseCaseCaller(), command));
}

}  // namespace onboard::http::handlers
