#include "audit_common.hpp"
#include "handlers.hpp"

namespace onboard::http::handlers {

// GET /v1/audit/events: every event matching the filters, as a JSON page, NDJSON or CSV.
void AuditEventsGet(RequestContext& ctx, AppServices& svc) {
  const usecases::EventSearch search = audit::ReadEventSearch(ctx);
  audit::StreamEvents(ctx, search, "audit-events", [&](const usecases::EventSink& sink) {
    return svc.use_cases.audit.Search(search, sink);
  });
}

// GET /v1/clients/{client_id}/audit: the same, restricted to one client and its lineage.
void ClientAuditGet(RequestContext& ctx, AppServices& svc) {
  const std::string& client_id = ctx.Param("client_id");
  const usecases::EventSearch search = audit::ReadEventSearch(ctx, "client_id");
  audit::StreamEvents(ctx, search, "client-" + client_id + "-audit",
                      [&](const usecases::EventSink& sink) {
                        return svc.use_cases.audit.ClientTrail(client_id, search, sink);
                      });
}

}  // namespace onboard::http::handlers
