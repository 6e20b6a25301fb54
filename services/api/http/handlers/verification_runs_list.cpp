#include <Poco/JSON/Array.h>
#include <Poco/NumberParser.h>

#include "client_common.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "paging.hpp"
#include "verification_codecs.hpp"

namespace onboard::http::handlers {

// GET /v1/clients/{client_id}/verification-runs[?limit=N]: newest tested first, with the id
// of the latest complete run (the one that decides readiness).
void VerificationRunsList(RequestContext& ctx, AppServices& svc) {
  const domain::Client client = client_common::LoadVisible(ctx, svc);
  int limit = 50;
  if (const std::string text = ctx.Query("limit"); !text.empty()) {
    if (!Poco::NumberParser::tryParse(text, limit) || limit < 1 || limit > domain::kMaxPageSize) {
      throw AppError(ErrorCode::kValidation,
                     "limit must be between 1 and " + std::to_string(domain::kMaxPageSize), "",
                     {{"limit", "out_of_range", "limit must be between 1 and 200"}});
    }
  }
  Poco::JSON::Array items;
  for (const auto& run : svc.verifications.ListRuns(client.client_id, limit))
    items.add(RunJson(run));
  const auto deciding = svc.verifications.LatestCompleteRun(client.client_id);
  Poco::JSON::Object body;
  body.set("client_id", client.client_id);
  body.set("latest_complete_run_id",
           deciding ? Poco::Dynamic::Var(deciding->id) : Poco::Dynamic::Var());
  body.set("items", items);
  WriteJson(ctx, 200, body);
}

}  // namespace onboard::http::handlers
