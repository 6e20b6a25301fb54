#include "audit_common.hpp"
#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

// `from`/`to` are seq numbers (digits) or RFC 3339 times; a time range covers the events
// that occurred in [from, to).
void AuditVerifyGet(RequestContext& ctx, AppServices& svc) {
  const usecases::ChainCheck check =
      svc.use_cases.audit.Verify(audit::QueryParams(ctx, {"from", "to"}));
  Poco::JSON::Object body = audit::ChainReportJson(check.report);
  if (check.empty_range) {
    body.set("range", "no events in the time range");
  } else {
    body.set("signature_key_id", check.signature_key_id
                                     ? Poco::Dynamic::Var(*check.signature_key_id)
                                     : Poco::Dynamic::Var());
  }
  WriteJson(ctx, 200, body);
}

}  // namespace onboard::http::handlers
