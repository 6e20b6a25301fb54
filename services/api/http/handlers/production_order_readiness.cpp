#include "error.hpp"
#include "production_order_common.hpp"

namespace onboard::http::handlers::orders {

void EnsureReady(RequestContext&, AppServices&, const domain::Onboarding& onboarding, const std::string&,
                 domain::DeliveryMethod) {
  std::vector<FieldError> blocking;
  if (!onboarding.terms_acceptance) {
    blocking.push_back({"terms_accepted", "blocking", "the terms of use are not accepted for this onboarding case"});
  }
  if (!domain::IsPlanningComplete(onboarding.planning)) {
    blocking.push_back({"planning_complete", "blocking", "the planning information is incomplete"});
  }
  if (!blocking.empty()) {
    throw AppError(ErrorCode::kConflict, "production is blocked: see errors for what is missing", "", blocking,
                   "not_ready");
  }
}

}  // namespace onboard::http::handlers::orders
