#include "client_common.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "self_service_common.hpp"

namespace onboard::http::handlers {

// GET /clients/{client_id}/onbehalfof/{onbehalfof}
void OnbehalfofGet(RequestContext& ctx, AppServices& svc) {
  const domain::Client client = client_common::LoadVisible(ctx, svc);
  WriteJson(
      ctx, 200,
      *self_service::OnbehalfofJson(self_service::FindOnbehalfof(client, ctx.Param("onbehalfof"))));
}

}  // namespace onboard::http::handlers
