#include <algorithm>

#include "client_common.hpp"
#include "handlers.hpp"
#include "self_service_common.hpp"

namespace onboard::http::handlers {

// DELETE /clients/{client_id}/onbehalfof/{onbehalfof}: 204.
void OnbehalfofDelete(RequestContext& ctx, AppServices& svc) {
  const domain::Client current = client_common::LoadVisible(ctx, svc);
  client_common::CheckIfMatch(ctx, current, /*required_for_portal=*/false);
  const std::string value = ctx.Param("onbehalfof");
  self_service::FindOnbehalfof(current, value);
  self_service::SaveOnbehalfof(ctx, svc, current, [&](std::vector<domain::OnBehalfOf>& list) {
    list.erase(std::remove_if(list.begin(), list.end(),
                              [&](const domain::OnBehalfOf& r) { return r.onbehalfof == value; }),
               list.end());
  });
  ctx.status = 204;
  ctx.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
  ctx.response.setContentLength(0);
  ctx.response.send();
}

}  // namespace onboard::http::handlers
