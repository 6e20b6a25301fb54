#include "client_common.hpp"
#include "common_codecs.hpp"
#include "handlers.hpp"

namespace onboard::http::handlers {

void ClientPut(RequestContext& ctx, AppServices& svc) {
  auto command = client_common::ReadMetadataChange(ctx, ReadBody(ctx, svc));
  client_common::WriteClient(ctx, 200, svc.use_cases.clients.Replace(ctx.UseCaseCaller(), command));
}

}  // namespace onboard::http::handlers
