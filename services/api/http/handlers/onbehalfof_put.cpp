#include "client_common.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "self_service_common.hpp"

namespace onboard::http::handlers {

// PUT /clients/{client_id}/onbehalfof/{onbehalfof}: replaces the entry's members.
void OnbehalfofPut(RequestContext& ctx, AppServices& svc) {
  const domain::Client current = client_common::LoadVisible(ctx, svc);
  client_common::CheckIfMatch(ctx, current, /*required_for_portal=*/false);
  const std::string value = ctx.Param("onbehalfof");
  self_service::FindOnbehalfof(current, value);  // 404 before the body is read
  const domain::OnBehalfOf record = self_service::ReadOnbehalfof(ctx, svc, value);
  self_service::SaveOnbehalfof(ctx, svc, current, [&](std::vector<domain::OnBehalfOf>& list) {
    for (auto& r : list) {
      if (r.onbehalfof == value) r = record;
    }
  });
  WriteJson(ctx, 200, *self_service::OnbehalfofJson(record));
}

}  // namespace onboard::http::handlers
