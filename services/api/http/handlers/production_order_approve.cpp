#include <Poco/JSON/Object.h>

#include <sstream>

#include "client_metadata_json.hpp"
#include "client_validator.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "production_order_common.hpp"
#include "production_order_transitions.hpp"
#include "secret_common.hpp"

namespace onboard::http::handlers {

// Operator review: approving creates the production client (a new client_id; nothing
// secret is copied from test) in the same transaction as the order's approval. An sms_zip
// order's secret is issued in that transaction too (delivery + outbox, the path of POST
// /v1/clients/{id}/secret), which makes the client active; a certificate order's client
// waits in awaiting_credentials until its certificate is bound.
void ProductionOrderApprove(RequestContext& ctx, AppServices& svc) {
  const std::string reason = orders::ReadReason(ctx, svc, false);
  domain::ProductionOrder current = orders::LoadVisible(ctx, svc);
  domain::ProductionOrder next = current;
  next.state = domain::ApplyOrderTransition(current.state, domain::OrderTransition::kApprove);
  domain::EnsureFourEyes(current, ctx.caller->token_name, svc.config.orders.four_eyes);
  orders::EnsureValidForProduction(current);
  orders::EnsureReady(svc, current.test_client_id, current.delivery_method,
                      current.proposed_metadata_json);

  domain::Client client;
  client.client_id = crypto::NewUuid();
  client.environment = domain::Environment::kProduction;
  client.state = domain::ClientState::kAwaitingCredentials;
  client.registration_channel = "production_order";
  client.created_by = ctx.caller->token_name;
  client.metadata = domain::ParseStoredMetadata(current.proposed_metadata_json);
  domain::EnsureValidClientMetadata(client.metadata, domain::Environment::kProduction, svc.scopes);
  client.metadata_json = domain::MetadataToJsonText(client.metadata);

  domain::AuditEvent audit =
      ctx.Audit("production_order.approve", "production_order", current.id, current.organisation);
  Poco::JSON::Object detail;
  detail.set("production_client_id", client.client_id);
  detail.set("test_client_id", current.test_client_id);
  detail.set("delivery_method", std::string(domain::ToString(current.delivery_method)));
  detail.set("entered_by", current.entered_by);
  if (!reason.empty()) detail.set("reason", reason);
  std::ostringstream text;
  detail.stringify(text);
  audit.detail_json = text.str();
  const domain::ClientWrite client_write{
      "create", domain::DiffMetadataJson("{}", client.metadata_json), audit, std::nullopt};
  next.decided_by = ctx.caller->token_name;
  next.decision_reason = reason;
  std::optional<domain::SecretIssuance> issuance;
  if (current.delivery_method == domain::DeliveryMethod::kSmsZip) {
    secret_common::Destination destination;
    destination.mobile = current.delivery_mobile;
    destination.email = current.delivery_email;
    destination.order_id = current.id;
    issuance = secret_common::PrepareDelivery(ctx, svc, client, destination);
  }
  const domain::ProductionOrder approved =
      svc.orders.Approve(next, current.version, client, client_write, audit, issuance);
  // The delivery is also listed with the client's secrets (GET /v1/clients/{id}/secrets).
  if (issuance) ctx.response.set("X-Onboard-Delivery-Id", issuance->delivery->id);
  orders::WriteOrder(ctx, 200, approved);
}

}  // namespace onboard::http::handlers
