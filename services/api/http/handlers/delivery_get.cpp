#include "handlers.hpp"
#include "json_io.hpp"
#include "secret_common.hpp"

namespace onboard::http::handlers {

// Each step of a delivery and its overall state; never the password or the package.
void DeliveryGet(RequestContext& ctx, AppServices& svc) {
  WriteJson(ctx, 200,
            secret_common::DeliveryJson(
                svc.use_cases.secrets.Delivery(ctx.UseCaseCaller(), ctx.Param("delivery_id"))));
}

}  // namespace onboard::http::handlers
