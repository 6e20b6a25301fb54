#pragma once

#include "app_services.hpp"
#include "request_context.hpp"

/// One function per endpoint, in the file of its use-case group (handlers/<group>.cpp,
/// docs/ARCHITECTURE.md "Handlers"); each parses the request into a command, calls the use
/// case, maps the result and serialises it.
namespace onboard::http::handlers {

void HealthzGet(RequestContext& ctx, AppServices& svc);
void ReadyzGet(RequestContext& ctx, AppServices& svc);
void MetricsGet(RequestContext& ctx, AppServices& svc);
void OpenapiGet(RequestContext& ctx, AppServices& svc);

// Console sessions (issue #16).
void SessionsPost(RequestContext& ctx, AppServices& svc);
void SessionCurrentGet(RequestContext& ctx, AppServices& svc);
void SessionCurrentDelete(RequestContext& ctx, AppServices& svc);
void SessionsMethodsGet(RequestContext& ctx, AppServices& svc);
void SessionsOidcStart(RequestContext& ctx, AppServices& svc);
void SessionsOidcCallback(RequestContext& ctx, AppServices& svc);
void SelfServiceClientsList(RequestContext& ctx, AppServices& svc);
void SelfServiceJwksPut(RequestContext& ctx, AppServices& svc);
void OnbehalfofList(RequestContext& ctx, AppServices& svc);
void OnbehalfofGet(RequestContext& ctx, AppServices& svc);
void OnbehalfofPost(RequestContext& ctx, AppServices& svc);
void OnbehalfofPut(RequestContext& ctx, AppServices& svc);
void OnbehalfofDelete(RequestContext& ctx, AppServices& svc);

void OrganisationsPost(RequestContext& ctx, AppServices& svc);
void OrganisationsList(RequestContext& ctx, AppServices& svc);
void OrganisationGet(RequestContext& ctx, AppServices& svc);
void OrganisationPatch(RequestContext& ctx, AppServices& svc);

void ClientsPost(RequestContext& ctx, AppServices& svc);
void ClientsList(RequestContext& ctx, AppServices& svc);
void ClientGet(RequestContext& ctx, AppServices& svc);
void ClientPut(RequestContext& ctx, AppServices& svc);
void ClientPatch(RequestContext& ctx, AppServices& svc);
void ClientHistoryGet(RequestContext& ctx, AppServices& svc);
void ClientDeactivate(RequestContext& ctx, AppServices& svc);
void ClientReactivate(RequestContext& ctx, AppServices& svc);

void RegisterPost(RequestContext& ctx, AppServices& svc);
void RegisterGet(RequestContext& ctx, AppServices& svc);
void RegisterPut(RequestContext& ctx, AppServices& svc);
void RegisterDelete(RequestContext& ctx, AppServices& svc);

void OnboardingsPost(RequestContext& ctx, AppServices& svc);
void OnboardingsList(RequestContext& ctx, AppServices& svc);
void OnboardingGet(RequestContext& ctx, AppServices& svc);
void OnboardingPatch(RequestContext& ctx, AppServices& svc);
void OnboardingClientsPost(RequestContext& ctx, AppServices& svc);
void OnboardingTermsAcceptancePost(RequestContext& ctx, AppServices& svc);

void TermsList(RequestContext& ctx, AppServices& svc);
void TermsGet(RequestContext& ctx, AppServices& svc);
void TermsPost(RequestContext& ctx, AppServices& svc);

void ProductionOrdersPost(RequestContext& ctx, AppServices& svc);
void ProductionOrdersList(RequestContext& ctx, AppServices& svc);
void ProductionOrderGet(RequestContext& ctx, AppServices& svc);
void ProductionOrderSubmit(RequestContext& ctx, AppServices& svc);
void ProductionOrderApprove(RequestContext& ctx, AppServices& svc);
void ProductionOrderReject(RequestContext& ctx, AppServices& svc);
void ProductionOrderCancel(RequestContext& ctx, AppServices& svc);

void VerificationCatalogueGet(RequestContext& ctx, AppServices& svc);
void VerificationCataloguePost(RequestContext& ctx, AppServices& svc);
void VerificationRunsPost(RequestContext& ctx, AppServices& svc);
void VerificationRunsList(RequestContext& ctx, AppServices& svc);
void ReadinessGet(RequestContext& ctx, AppServices& svc);

void TestUsersPost(RequestContext& ctx, AppServices& svc);
void TestUsersList(RequestContext& ctx, AppServices& svc);
void TestUserDelete(RequestContext& ctx, AppServices& svc);

void SupportLookupGet(RequestContext& ctx, AppServices& svc);

void ClientSecretPost(RequestContext& ctx, AppServices& svc);
void ClientSecretsList(RequestContext& ctx, AppServices& svc);
void ClientSecretDelete(RequestContext& ctx, AppServices& svc);
void DeliveryGet(RequestContext& ctx, AppServices& svc);
void DeliveryPackageGet(RequestContext& ctx, AppServices& svc);
void DeliveryReissue(RequestContext& ctx, AppServices& svc);
void AuditEventsGet(RequestContext& ctx, AppServices& svc);
void ClientAuditGet(RequestContext& ctx, AppServices& svc);
void AuditVerifyGet(RequestContext& ctx, AppServices& svc);
void AuditCheckpointsList(RequestContext& ctx, AppServices& svc);
void AuditCheckpointsPost(RequestContext& ctx, AppServices& svc);
void AuditReportOnboardingGet(RequestContext& ctx, AppServices& svc);
void AuditReportAccessGet(RequestContext& ctx, AppServices& svc);
void AuditReportMonthlyGet(RequestContext& ctx, AppServices& svc);
void AuditReportCredentialsGet(RequestContext& ctx, AppServices& svc);
void AuditReportDeliveriesGet(RequestContext& ctx, AppServices& svc);

void TokensPost(RequestContext& ctx, AppServices& svc);
void TokensList(RequestContext& ctx, AppServices& svc);
void TokenDelete(RequestContext& ctx, AppServices& svc);

void ClientCertificatesPost(RequestContext& ctx, AppServices& svc);
void ClientCertificatesList(RequestContext& ctx, AppServices& svc);
void ClientCertificateDelete(RequestContext& ctx, AppServices& svc);
void ClientJwksGet(RequestContext& ctx, AppServices& svc);
void ClientJwksPost(RequestContext& ctx, AppServices& svc);
void ProviderClientGet(RequestContext& ctx, AppServices& svc);
void ProviderAuthenticate(RequestContext& ctx, AppServices& svc);
void SmsCallbackPost(RequestContext& ctx, AppServices& svc);

// Notifications and webhooks (issue #18).
void OrganisationNotificationContactsPost(RequestContext& ctx, AppServices& svc);
void OrganisationNotificationContactsList(RequestContext& ctx, AppServices& svc);
void ClientNotificationContactsPost(RequestContext& ctx, AppServices& svc);
void ClientNotificationContactsList(RequestContext& ctx, AppServices& svc);
void NotificationContactGet(RequestContext& ctx, AppServices& svc);
void NotificationContactPut(RequestContext& ctx, AppServices& svc);
void NotificationContactDelete(RequestContext& ctx, AppServices& svc);
void MissingNotificationContactsGet(RequestContext& ctx, AppServices& svc);
void WebhooksPost(RequestContext& ctx, AppServices& svc);
void WebhooksList(RequestContext& ctx, AppServices& svc);
void WebhookGet(RequestContext& ctx, AppServices& svc);
void WebhookPatch(RequestContext& ctx, AppServices& svc);
void WebhookDelete(RequestContext& ctx, AppServices& svc);
void WebhookTestPost(RequestContext& ctx, AppServices& svc);
void WebhookDeliveriesGet(RequestContext& ctx, AppServices& svc);
void WebhookEventTypesGet(RequestContext& ctx, AppServices& svc);
void TestingClockPut(RequestContext& ctx, AppServices& svc);

}  // namespace onboard::http::handlers
