#include <chrono>

#include "client_metadata_json.hpp"
#include "error.hpp"
#include "production_order_common.hpp"

namespace onboard::http::handlers::orders {

domain::Readiness Evaluate(AppServices& svc, const std::string& test_client_id,
                           domain::DeliveryMethod delivery,
                           const std::string& proposed_metadata_json) {
  auto client = svc.clients.Find(test_client_id);
  if (!client) throw AppError(ErrorCode::kNotFound, "no such client");
  domain::ReadinessInput input;
  input.client_id = client->client_id;
  input.environment = client->environment;
  input.state = client->state;
  input.delivery = delivery;
  // An order is judged on the metadata it proposes for production, not on the test
  // client's (whose localhost redirect URIs are fine in test).
  input.metadata = domain::ParseStoredMetadata(
      proposed_metadata_json.empty() ? client->metadata_json : proposed_metadata_json);
  if (auto case_id = svc.verifications.FindCaseOfClient(client->client_id)) {
    input.onboarding = svc.onboardings.Find(*case_id);
  }
  input.catalogue = svc.verifications.CurrentCatalogue();
  input.latest_complete_run = svc.verifications.LatestCompleteRun(client->client_id);
  input.now = std::chrono::system_clock::now();
  input.max_age_days = svc.config.verification.max_age_days;
  return domain::EvaluateReadiness(input, svc.scopes);
}

void EnsureReady(AppServices& svc, const std::string& test_client_id,
                 domain::DeliveryMethod delivery, const std::string& proposed_metadata_json) {
  const domain::Readiness readiness =
      Evaluate(svc, test_client_id, delivery, proposed_metadata_json);
  if (readiness.ready) return;
  std::vector<FieldError> blocking;
  for (const auto& item : readiness.items) {
    if (item.ok) continue;
    blocking.push_back({item.id, "blocking", item.title + ": " + item.detail});
    for (const auto& e : item.errors)
      blocking.push_back({item.id + "/" + e.path, e.code, e.message});
    for (const auto& c : item.cases) {
      if (c.applicable && !c.ok) {
        blocking.push_back(
            {item.id + "/" + std::to_string(c.id), "test_not_passed", c.title + ": " + c.detail});
      }
    }
  }
  throw AppError(
      ErrorCode::kConflict,
      "production is blocked; each entry in errors names a checklist item that is not done "
      "(GET /v1/clients/{client_id}/readiness shows the whole checklist)",
      "", blocking, "not_ready");
}

}  // namespace onboard::http::handlers::orders
