#include "handlers/handlers.hpp"
#include "router.hpp"

namespace onboard::http {

namespace {
using domain::Role;
using domain::RoleBit;
constexpr unsigned kOperator = RoleBit(Role::kOperator);
constexpr unsigned kPortal = RoleBit(Role::kPortal);
constexpr unsigned kProvider = RoleBit(Role::kProvider);
constexpr unsigned kAuditor = RoleBit(Role::kAuditor);
// What a JWT access token needs (issue #17; the scopes that grant each: access_token.cpp).
constexpr ErrorStyle kProblem = ErrorStyle::kProblem;
constexpr domain::Permission kRead = domain::Permission::kClientsRead;
constexpr domain::Permission kModify = domain::Permission::kClientsModify;
constexpr domain::Permission kCreate = domain::Permission::kClientsCreate;
constexpr domain::Permission kDeactivate = domain::Permission::kClientsDeactivate;
constexpr domain::Permission kCredentials = domain::Permission::kCredentials;
constexpr domain::Permission kObfRead = domain::Permission::kOnbehalfofRead;
constexpr domain::Permission kObfWrite = domain::Permission::kOnbehalfofWrite;
constexpr unsigned kClientRoles = kOperator | kPortal;
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

      {"POST", "/v1/clients", kOperator | kPortal, h::ClientsPost, kProblem, kCreate},
      {"GET", "/v1/clients", kOperator | kPortal, h::ClientsList, kProblem, kRead},
      {"GET", "/v1/clients/{client_id}", kOperator | kPortal, h::ClientGet, kProblem, kRead},
      {"PUT", "/v1/clients/{client_id}", kOperator | kPortal, h::ClientPut, kProblem, kModify},
      {"PATCH", "/v1/clients/{client_id}", kOperator | kPortal, h::ClientPatch, kProblem, kModify},
      {"GET", "/v1/clients/{client_id}/history", kOperator | kPortal, h::ClientHistoryGet, kProblem,
       kRead},
      {"POST", "/v1/clients/{client_id}/deactivate", kOperator | kPortal, h::ClientDeactivate,
       kProblem, kDeactivate},
      {"POST", "/v1/clients/{client_id}/reactivate", kOperator | kPortal, h::ClientReactivate,
       kProblem, kDeactivate},

      // RFC 7591 / 7592: the bearer token of POST is the initial access token; the others
      // authenticate the client's registration access token themselves.
      {"POST", "/register", kOperator | kPortal, h::RegisterPost, ErrorStyle::kOAuthRegistration},
      {"GET", "/register/{client_id}", kPublic, h::RegisterGet, ErrorStyle::kOAuthRegistration},
      {"PUT", "/register/{client_id}", kPublic, h::RegisterPut, ErrorStyle::kOAuthRegistration},
      {"DELETE", "/register/{client_id}", kPublic, h::RegisterDelete,
       ErrorStyle::kOAuthRegistration},

      {"POST", "/v1/onboardings", kOperator | kPortal, h::OnboardingsPost},
      {"GET", "/v1/onboardings", kOperator | kPortal, h::OnboardingsList},
      {"GET", "/v1/onboardings/{id}", kOperator | kPortal, h::OnboardingGet},
      {"PATCH", "/v1/onboardings/{id}", kOperator | kPortal, h::OnboardingPatch},
      {"POST", "/v1/onboardings/{id}/clients", kOperator | kPortal, h::OnboardingClientsPost},
      {"POST", "/v1/onboardings/{id}/terms-acceptance", kOperator | kPortal,
       h::OnboardingTermsAcceptancePost},

      {"GET", "/v1/terms", kOperator | kPortal, h::TermsList},
      {"GET", "/v1/terms/{version}", kOperator | kPortal, h::TermsGet},
      {"POST", "/v1/terms", kOperator, h::TermsPost},

      {"POST", "/v1/onboardings/{id}/production-orders", kOperator | kPortal,
       h::ProductionOrdersPost},
      {"GET", "/v1/production-orders", kOperator | kPortal, h::ProductionOrdersList},
      {"GET", "/v1/production-orders/{order_id}", kOperator | kPortal, h::ProductionOrderGet},
      {"POST", "/v1/production-orders/{order_id}/submit", kOperator | kPortal,
       h::ProductionOrderSubmit},
      {"POST", "/v1/production-orders/{order_id}/cancel", kOperator | kPortal,
       h::ProductionOrderCancel},
      {"POST", "/v1/production-orders/{order_id}/approve", kOperator, h::ProductionOrderApprove},
      {"POST", "/v1/production-orders/{order_id}/reject", kOperator, h::ProductionOrderReject},

      {"GET", "/v1/verification-catalogue", kOperator | kPortal, h::VerificationCatalogueGet},
      {"POST", "/v1/verification-catalogue", kOperator, h::VerificationCataloguePost},
      {"POST", "/v1/clients/{client_id}/verification-runs", kOperator | kPortal,
       h::VerificationRunsPost},
      {"GET", "/v1/clients/{client_id}/verification-runs", kOperator | kPortal,
       h::VerificationRunsList},
      {"GET", "/v1/clients/{client_id}/readiness", kOperator | kPortal, h::ReadinessGet},
      {"POST", "/v1/organisations/{orgno}/test-users", kOperator | kPortal, h::TestUsersPost},
      {"GET", "/v1/organisations/{orgno}/test-users", kOperator | kPortal, h::TestUsersList},
      {"DELETE", "/v1/organisations/{orgno}/test-users/{pid}", kOperator, h::TestUserDelete},

      {"GET", "/v1/support/lookup", kOperator, h::SupportLookupGet},

      {"POST", "/v1/clients/{client_id}/secret", kOperator | kPortal, h::ClientSecretPost, kProblem,
       kCredentials},
      {"GET", "/v1/clients/{client_id}/secrets", kOperator | kPortal, h::ClientSecretsList,
       kProblem, kRead},
      {"DELETE", "/v1/clients/{client_id}/secrets/{secret_id}", kOperator | kPortal,
       h::ClientSecretDelete, kProblem, kCredentials},
      {"GET", "/v1/deliveries/{delivery_id}", kOperator | kPortal, h::DeliveryGet},
      {"GET", "/v1/deliveries/{delivery_id}/package", kOperator | kPortal, h::DeliveryPackageGet},
      {"POST", "/v1/deliveries/{delivery_id}/reissue", kOperator, h::DeliveryReissue},
      {"GET", "/v1/audit/events", kAuditor | kOperator, h::AuditEventsGet},
      {"GET", "/v1/clients/{client_id}/audit", kAuditor | kOperator, h::ClientAuditGet},
      {"GET", "/v1/audit/verify", kAuditor | kOperator, h::AuditVerifyGet},
      {"GET", "/v1/audit/checkpoints", kAuditor | kOperator, h::AuditCheckpointsList},
      {"POST", "/v1/audit/checkpoints", kAuditor | kOperator, h::AuditCheckpointsPost},
      {"GET", "/v1/audit/reports/onboarding", kAuditor | kOperator, h::AuditReportOnboardingGet},
      {"GET", "/v1/audit/reports/access", kAuditor | kOperator, h::AuditReportAccessGet},
      {"GET", "/v1/audit/reports/credentials", kAuditor | kOperator, h::AuditReportCredentialsGet},
      {"GET", "/v1/audit/reports/deliveries", kAuditor | kOperator, h::AuditReportDeliveriesGet},
      {"GET", "/v1/audit/reports/monthly", kAuditor | kOperator, h::AuditReportMonthlyGet},

      // Console sessions: the body's personal token is the credential of POST.
      {"POST", "/v1/sessions", kPublic, h::SessionsPost},
      {"GET", "/v1/sessions/current", kOperator | kAuditor, h::SessionCurrentGet},
      {"DELETE", "/v1/sessions/current", kOperator | kAuditor, h::SessionCurrentDelete},
      // The provider's self-service API shape (issue #17), for customers' automation with
      // access tokens: where a route means what a /v1 route means, it is that handler.
      {"GET", "/clients", kClientRoles, h::SelfServiceClientsList, kProblem, kRead},
      {"POST", "/clients", kClientRoles, h::ClientsPost, kProblem, kCreate},
      {"GET", "/clients/{client_id}", kClientRoles, h::ClientGet, kProblem, kRead},
      {"PUT", "/clients/{client_id}", kClientRoles, h::ClientPut, kProblem, kModify},
      {"DELETE", "/clients/{client_id}", kClientRoles, h::ClientDeactivate, kProblem, kDeactivate},
      {"GET", "/clients/{client_id}/jwks", kClientRoles, h::ClientJwksGet, kProblem, kRead},
      {"POST", "/clients/{client_id}/jwks", kClientRoles, h::SelfServiceJwksPut, kProblem,
       kCredentials},
      {"PUT", "/clients/{client_id}/jwks", kClientRoles, h::SelfServiceJwksPut, kProblem,
       kCredentials},
      {"POST", "/clients/{client_id}/secret", kClientRoles, h::ClientSecretPost, kProblem,
       kCredentials},
      {"GET", "/clients/{client_id}/onbehalfof", kClientRoles, h::OnbehalfofList, kProblem,
       kObfRead},
      {"POST", "/clients/{client_id}/onbehalfof", kClientRoles, h::OnbehalfofPost, kProblem,
       kObfWrite},
      {"GET", "/clients/{client_id}/onbehalfof/{onbehalfof}", kClientRoles, h::OnbehalfofGet,
       kProblem, kObfRead},
      {"POST", "/clients/{client_id}/onbehalfof/{onbehalfof}", kClientRoles, h::OnbehalfofPost,
       kProblem, kObfWrite},
      {"PUT", "/clients/{client_id}/onbehalfof/{onbehalfof}", kClientRoles, h::OnbehalfofPut,
       kProblem, kObfWrite},
      {"DELETE", "/clients/{client_id}/onbehalfof/{onbehalfof}", kClientRoles, h::OnbehalfofDelete,
       kProblem, kObfWrite},

      // Operators' single sign-on (issue #17): the browser's flow, credentials come from the
      // identity provider.
      {"GET", "/v1/sessions/methods", kPublic, h::SessionsMethodsGet},
      {"GET", "/v1/sessions/oidc/start", kPublic, h::SessionsOidcStart},
      {"GET", "/v1/sessions/oidc/callback", kPublic, h::SessionsOidcCallback},

      {"POST", "/v1/tokens", kOperator, h::TokensPost},
      {"GET", "/v1/tokens", kOperator, h::TokensList},
      {"DELETE", "/v1/tokens/{token_id}", kOperator, h::TokenDelete},

      {"POST", "/v1/clients/{client_id}/certificates", kOperator | kPortal,
       h::ClientCertificatesPost, kProblem, kCredentials},
      {"GET", "/v1/clients/{client_id}/certificates", kOperator | kPortal,
       h::ClientCertificatesList, kProblem, kRead},
      {"DELETE", "/v1/clients/{client_id}/certificates/{kid}", kOperator | kPortal,
       h::ClientCertificateDelete, kProblem, kCredentials},
      {"GET", "/v1/clients/{client_id}/jwks", kOperator | kPortal | kProvider, h::ClientJwksGet,
       kProblem, kRead},
      {"POST", "/v1/clients/{client_id}/jwks", kOperator | kPortal, h::ClientJwksPost, kProblem,
       kCredentials},
      {"GET", "/v1/provider/clients/{client_id}", kProvider, h::ProviderClientGet},
      {"POST", "/v1/provider/authenticate", kProvider, h::ProviderAuthenticate},
      // Delivery reports of the SMS provider, authenticated by X-Twilio-Signature.
      {"POST", "/v1/callbacks/sms", kPublic, h::SmsCallbackPost},

      // Notification contacts and webhooks (issue #18).
      {"POST", "/v1/organisations/{orgno}/notification-contacts", kOperator | kPortal,
       h::OrganisationNotificationContactsPost},
      {"GET", "/v1/organisations/{orgno}/notification-contacts", kOperator | kPortal,
       h::OrganisationNotificationContactsList},
      {"POST", "/v1/clients/{client_id}/notification-contacts", kOperator | kPortal,
       h::ClientNotificationContactsPost},
      {"GET", "/v1/clients/{client_id}/notification-contacts", kOperator | kPortal,
       h::ClientNotificationContactsList},
      {"GET", "/v1/notification-contacts/{contact_id}", kOperator | kPortal,
       h::NotificationContactGet},
      {"PUT", "/v1/notification-contacts/{contact_id}", kOperator | kPortal,
       h::NotificationContactPut},
      {"DELETE", "/v1/notification-contacts/{contact_id}", kOperator | kPortal,
       h::NotificationContactDelete},
      {"GET", "/v1/reports/missing-notification-contacts", kOperator,
       h::MissingNotificationContactsGet},
      {"POST", "/v1/webhooks", kOperator | kPortal, h::WebhooksPost},
      {"GET", "/v1/webhooks", kOperator | kPortal, h::WebhooksList},
      {"GET", "/v1/webhooks/event-types", kOperator | kPortal, h::WebhookEventTypesGet},
      {"GET", "/v1/webhooks/{webhook_id}", kOperator | kPortal, h::WebhookGet},
      {"PATCH", "/v1/webhooks/{webhook_id}", kOperator | kPortal, h::WebhookPatch},
      {"DELETE", "/v1/webhooks/{webhook_id}", kOperator | kPortal, h::WebhookDelete},
      {"POST", "/v1/webhooks/{webhook_id}/test", kOperator | kPortal, h::WebhookTestPost},
      {"GET", "/v1/webhooks/{webhook_id}/deliveries", kOperator | kPortal, h::WebhookDeliveriesGet},
      {"PUT", "/v1/testing/clock", kOperator, h::TestingClockPut},
  };
}

}  // namespace onboard::http
