#include <chrono>

#include "client_common.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "readiness.hpp"
#include "verification_codecs.hpp"

namespace onboard::http::handlers {

// GET /v1/clients/{client_id}/readiness[?delivery=sms_zip|certificate]: gathers what the
// checklist looks at and answers domain::EvaluateReadiness item by item.
void ReadinessGet(RequestContext& ctx, AppServices& svc) {
  const domain::Client client = client_common::LoadVisible(ctx, svc);
  RequireTestClient(client);
  domain::ReadinessInput input;
  if (const std::string delivery = ctx.Query("delivery"); !delivery.empty()) {
    auto parsed = domain::DeliveryMethodFromString(delivery);
    if (!parsed) {
      throw AppError(ErrorCode::kValidation, "delivery must be sms_zip or certificate", "",
                     {{"delivery", "invalid_value", "delivery must be sms_zip or certificate"}});
    }
    input.delivery = *parsed;
  }
  input.client_id = client.client_id;
  input.environment = client.environment;
  input.state = client.state;
  input.metadata = domain::ParseStoredMetadata(client.metadata_json);
  if (auto case_id = svc.verifications.FindCaseOfClient(client.client_id)) {
    input.onboarding = svc.onboardings.Find(*case_id);
  }
  input.catalogue = svc.verifications.CurrentCatalogue();
  input.latest_complete_run = svc.verifications.LatestCompleteRun(client.client_id);
  input.now = std::chrono::system_clock::now();
  input.max_age_days = svc.config.verification.max_age_days;
  WriteJson(ctx, 200,
            *ReadinessJson(client.client_id, domain::EvaluateReadiness(input, svc.scopes)));
}

}  // namespace onboard::http::handlers
