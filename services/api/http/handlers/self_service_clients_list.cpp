#include "client_common.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "self_service_common.hpp"

namespace onboard::http::handlers {

// GET /clients: the provider's list, a JSON array of the caller's clients that are in use,
// or with ?inactive=true the deactivated ones (nothing is ever deleted). Unpaged, as the
// provider's API is: the pages of the store are read to the end.
void SelfServiceClientsList(RequestContext& ctx, AppServices& svc) {
  const std::string inactive = ctx.Query("inactive");
  if (!inactive.empty() && inactive != "true" && inactive != "false")
    throw AppError(ErrorCode::kValidation, "invalid filter", "",
                   {{"inactive", "invalid_value", "inactive must be true or false"}});
  const bool deactivated = inactive == "true";
  const domain::ClientFilter filter = self_service::VisibleClients(ctx);
  std::string body = "[";
  domain::PageRequest page{"", domain::kMaxPageSize};
  do {
    auto result = svc.clients.List(filter, page);
    for (const auto& c : result.items) {
      if ((c.state == domain::ClientState::kDeactivated) != deactivated) continue;
      body += (body.size() > 1 ? "," : "") + client_common::ClientJsonText(c);
    }
    page.cursor = result.next_cursor;
  } while (!page.cursor.empty());
  WriteBody(ctx, 200, "application/json", body + "]");
}

}  // namespace onboard::http::handlers
