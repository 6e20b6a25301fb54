#include "handlers/handlers.hpp"
#include "router.hpp"

namespace onboard::http {

namespace {
using domain::Role;
using domain::RoleBit;
constexpr unsigned kOperator = RoleBit(Role::kOperator);
constexpr unsigned kPortal = RoleBit(Role::kPortal);
}  // namespace

std::vector<Route> ApiRoutes() {
  namespace h = handlers;
  return {
      {"GET", "/healthz", kPublic, h::HealthzGet},
      {"GET", "/readyz", kPublic, h::ReadyzGet},
      {"GET", "/metrics", kPublic, h::MetricsGet},
      {"GET", "/openapi.json", kPublic, h::OpenapiGet},

      {"POST", "/v1/organisations", kOperator | kPortal, h::OrganisationsPost},
      {"GET", "/v1/organisations", kOperator | kPortal, h::OrganisationsList},
      {"GET", "/v1/organisations/{orgno}", kOperator | kPortal, h::OrganisationGet},
      {"PATCH", "/v1/organisations/{orgno}", kOperator | kPortal, h::OrganisationPatch},

      {"POST", "/v1/tokens", kOperator, h::TokensPost},
      {"GET", "/v1/tokens", kOperator, h::TokensList},
      {"DELETE", "/v1/tokens/{token_id}", kOperator, h::TokenDelete},
  };
}

}  // namespace onboard::http
