#include "client_common.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "self_service_common.hpp"

namespace onboard::http::handlers {

// POST /clients/{client_id}/onbehalfof (the body names the value) and
// POST /clients/{client_id}/onbehalfof/{onbehalfof}: a new entry; 409 when it exists.
void OnbehalfofPost(RequestContext& ctx, AppServices& svc) {
  const domain::Client current = client_common::LoadVisible(ctx, svc);
  client_common::CheckIfMatch(ctx, current, /*required_for_portal=*/false);
  const auto named = ctx.params.find("onbehalfof");
  const domain::OnBehalfOf record =
      self_service::ReadOnbehalfof(ctx, svc, named == ctx.params.end() ? "" : named->second);
  self_service::SaveOnbehalfof(ctx, svc, current, [&](std::vector<domain::OnBehalfOf>& list) {
    for (const auto& r : list) {
      if (r.onbehalfof == record.onbehalfof)
        throw AppError(
            ErrorCode::kConflict,
            "the client has an onbehalfof entry " + r.onbehalfof + "; change it with PUT", "", {},
            "onbehalfof_exists");
    }
    list.push_back(record);
  });
  ctx.response.set("Location",
                   "/clients/" + current.client_id + "/onbehalfof/" + record.onbehalfof);
  WriteJson(ctx, 201, *self_service::OnbehalfofJson(record));
}

}  // namespace onboard::http::handlers
