#include "common_codecs.hpp"
#include "handlers.hpp"
#include "verification_codecs.hpp"

namespace onboard::http::handlers {

// POST /v1/clients/{client_id}/verification-runs: records what a tester saw per case of the
// current catalogue (or the version named in `catalogue_version`). A run that leaves out a
// mandatory case is stored as incomplete; only complete runs count for readiness.
void VerificationRunsPost(RequestContext& ctx, AppServices& svc) {
  usecases::NewRun command = ReadNewRun(*ReadBody(ctx, svc));
  command.client_id = ctx.Param("client_id");
  WriteJson(ctx, 201, *RunJson(svc.use_cases.verifications.Record(ctx.UseCaseCaller(), command)));
}

}  // namespace onboard::http::handlers
