#include "support_lookup.hpp"

#include "merge_patch.hpp"
#include "paging.hpp"

namespace onboard::usecases {

SupportAnswer SupportLookup::Lookup(const std::string& client_id, const std::string& environment) {
  std::vector<FieldError> errors;
  if (client_id.empty()) errors.push_back({"client_id", "required", "client_id is required"});
  const auto env = domain::EnvironmentFromString(environment);
  if (!env) {
    errors.push_back({"environment", "invalid_value", "environment must be test or production"});
  }
  ThrowIfInvalid({}, errors, "client_id and environment are required");

  auto client = clients_.Find(client_id);
  if (!client) throw AppError(ErrorCode::kNotFound, "no client with this client_id");
  if (client->environment != *env) {
    throw AppError(ErrorCode::kNotFound,
                   "client " + client_id + " exists in " +
                       std::string(domain::ToString(client->environment)) + ", not in " +
                       environment,
                   "", {}, "wrong_environment");
  }
  SupportAnswer answer;
  answer.client = *client;
  answer.organisation = organisations_.Find(OrganisationOf(*client));
  std::vector<std::string> targets{client->client_id};
  answer.onboarding_id = support_.FindOnboardingIdForClient(client->client_id);
  if (answer.onboarding_id) {
    targets.push_back(*answer.onboarding_id);
    answer.onboarding = onboardings_.Find(*answer.onboarding_id);
    domain::OrderFilter filter;
    filter.onboarding_id = *answer.onboarding_id;
    answer.orders = orders_.List(filter, domain::PageRequest{"", domain::kMaxPageSize}).items;
    for (const auto& order : answer.orders) targets.push_back(order.id);
  }
  if (client->environment == domain::Environment::kTest) {
    answer.readiness = verifications_.Evaluate(*client, domain::DeliveryMethod::kSmsZip, "");
  }
  answer.deliveries = secrets_.ListDeliveries(client->client_id);
  answer.recent_events = support_.RecentAuditEvents(targets, 20);
  return answer;
}

}  // namespace onboard::usecases
