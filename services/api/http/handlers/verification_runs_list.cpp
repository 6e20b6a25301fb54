#include <Poco/JSON/Array.h>

#include "handlers.hpp"
#include "verification_codecs.hpp"

namespace onboard::http::handlers {

// GET /v1/clients/{client_id}/verification-runs[?limit=N]: newest tested first, with the id
// of the latest complete run (the one that decides readiness).
void VerificationRunsList(RequestContext& ctx, AppServices& svc) {
  const usecases::RunList list = svc.use_cases.verifications.Runs(
      ctx.UseCaseCaller(), ctx.Param("client_id"), ctx.Query("limit"));
  Poco::JSON::Array items;
  for (const auto& run : list.runs) items.add(RunJson(run));
  Poco::JSON::Object body;
  body.set("client_id", list.client_id);
  body.set("latest_complete_run_id", list.latest_complete_run_id
                                         ? Poco::Dynamic::Var(*list.latest_complete_run_id)
                                         : Poco::Dynamic::Var());
  body.set("items", items);
  WriteJson(ctx, 200, body);
}

}  // namespace onboard::http::handlers
