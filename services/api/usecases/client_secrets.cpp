#include "client_secrets.hpp"

#include <ctime>

#include "audit_details.hpp"
#include "issuer.hpp"
#include "merge_patch.hpp"

namespace onboard::usecases {

namespace {

constexpr const char* kNoSuchDelivery = "no such delivery";

bool AuthenticatesWithSecret(const domain::Client& client) {
  return domain::UsesClientSecret(client.metadata.token_endpoint_auth_method);
}

// A self-service caller's production secret goes to the client's production order's
// contacts, so a leaked token cannot have a production secret sent to itself.
void RequireOrderDestination(const Destination& asked, domain::SecretStore& secrets,
                             const std::string& client_id) {
  std::vector<FieldError> errors;
  const char* why = "the production order's contacts receive a new production secret";
  if (asked.channel) errors.push_back({"channel", "destination_fixed", why});
  if (!asked.mobile.empty()) errors.push_back({"mobile", "destination_fixed", why});
  if (!asked.email.empty()) errors.push_back({"email", "destination_fixed", why});
  if (!errors.empty())
    throw AppError(ErrorCode::kValidation, "the destination of a production secret is fixed", "",
                   errors);
  if (!secrets.FindOrderContact(client_id)) {
    throw AppError(ErrorCode::kConflict,
                   "the client has no production order whose contacts could receive a new "
                   "secret; the operator team issues it",
                   "", {}, "no_order_contact");
  }
}

}  // namespace

IssuedClientSecret ClientSecrets::Issue(const Caller& caller, SecretRequest command,
                                        const BodyReader<SecretRequest>& read_body) {
  const domain::Client client = clients_.Get(caller, command.client_id);
  const bool production = client.environment == domain::Environment::kProduction;
  if (production && caller.role != domain::Role::kOperator && !caller.access_token) {
    throw AppError(ErrorCode::kForbidden, "only the operator team issues production secrets", "",
                   {}, "operator_only");
  }
  if (!AuthenticatesWithSecret(client)) {
    throw AppError(ErrorCode::kConflict, "the client does not authenticate with a client secret",
                   "", {}, "no_secret_auth_method");
  }
  if (client.state == domain::ClientState::kDeactivated) {
    throw AppError(ErrorCode::kConflict, "the client is deactivated", "", {}, "client_deactivated");
  }
  ReadBodyInto(read_body, command);
  IssuedClientSecret out{.client_id = client.client_id,
                         .record = {},
                         .secret = std::nullopt,
                         .delivery_id = std::nullopt};
  if (production) {
    ThrowIfInvalid(command.destination_errors, {}, "the request is invalid");
    if (caller.access_token)
      RequireOrderDestination(command.destination, secrets_, client.client_id);
    const Destination destination = caller.access_token ? Destination{} : command.destination;
    const domain::SecretIssuance issuance = deliveries_.Prepare(caller, client, destination);
    InClientChange(units_, caches_, client.client_id,
                   [&](domain::UnitOfWork& unit) { secrets_.Issue(unit, issuance); });
    out.record = issuance.secret;
    out.delivery_id = issuance.delivery->id;
    out.channel = issuance.delivery->channel;
    return out;
  }
  // Test client: no delivery, the secret is shown once.
  ThrowIfInvalid(command.unexpected_fields, {},
                 "a test client's secret is returned in the response; the request takes no fields");
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  domain::IssuedSecret issued =
      domain::NewClientSecret(rotation_.pepper, rotation_.lifetime_days, now, caller.who);
  domain::SecretIssuance issuance;
  issuance.client_id = client.client_id;
  issuance.secret = issued.record;
  issuance.grace_days = rotation_.grace_days;
  issuance.max_old = rotation_.max_old;
  issuance.audit =
      caller.Audit("client.secret_issue", "client", client.client_id, OrganisationOf(client));
  issuance.audit.detail_json = audit::Render(
      audit::SecretShownOnce{.secret_id = issued.record.secret_id,
                             .secret_prefix = issued.record.prefix,
                             .secret_expires_at = package::IsoUtc(issued.record.expires_at_epoch)});
  InClientChange(units_, caches_, client.client_id,
                 [&](domain::UnitOfWork& unit) { secrets_.Issue(unit, issuance); });
  out.record = issued.record;
  out.secret = std::move(issued.secret);
  return out;
}

SecretList ClientSecrets::List(const Caller& caller, const std::string& client_id) {
  const domain::Client client = clients_.Get(caller, client_id);
  return {.client_id = client.client_id, .items = secrets_.ListSecrets(client.client_id)};
}

void ClientSecrets::Revoke(const Caller& caller, const std::string& client_id,
                           const std::string& secret_id) {
  const domain::Client client = clients_.Get(caller, client_id);
  domain::AuditEvent event =
      caller.Audit("client.secret_revoke", "client", client.client_id, OrganisationOf(client));
  event.detail_json = audit::Render(audit::SecretRevoked{.secret_id = secret_id});
  InClientChange(units_, caches_, client.client_id, [&](domain::UnitOfWork& unit) {
    if (!secrets_.RevokeSecret(unit, client.client_id, secret_id, event))
      throw AppError(ErrorCode::kNotFound, "no such active secret");
  });
}

domain::Delivery ClientSecrets::Delivery(const Caller& caller, const std::string& delivery_id) {
  auto d = secrets_.FindDelivery(delivery_id);
  if (!d) throw AppError(ErrorCode::kNotFound, kNoSuchDelivery);
  caller.RequireVisible(d->organisation, kNoSuchDelivery);
  return *d;
}

ReissuedDelivery ClientSecrets::Reissue(const Caller& caller, ReissueRequest command,
                                        const BodyReader<ReissueRequest>& read_body) {
  const domain::Delivery old = Delivery(caller, command.delivery_id);
  ReadBodyInto(read_body, command);
  ThrowIfInvalid(command.input_errors, {}, "the request is invalid");
  if (!old.superseded_by.empty()) {
    throw AppError(ErrorCode::kConflict,
                   "the delivery was already reissued as " + old.superseded_by, "", {},
                   "already_reissued");
  }
  auto client = client_store_.Find(old.client_id);
  if (!client) throw AppError(ErrorCode::kNotFound, kNoSuchDelivery);
  if (!AuthenticatesWithSecret(*client)) {
    throw AppError(ErrorCode::kConflict, "the client no longer authenticates with a client secret",
                   "", {}, "no_secret_auth_method");
  }
  // Empty members keep the old delivery's recipients and channel.
  Destination d = command.destination;
  if (!d.channel) d.channel = domain::DeliveryChannelFromString(old.channel);
  if (d.mobile.empty()) d.mobile = old.mobile;
  if (d.email.empty() && d.channel == domain::DeliveryChannel::kEmail) d.email = old.email;
  d.order_id = old.order_id;
  const domain::SecretIssuance issuance = deliveries_.Prepare(caller, *client, d, old.id);
  InClientChange(units_, caches_, client->client_id,
                 [&](domain::UnitOfWork& unit) { secrets_.Issue(unit, issuance); });
  return {.delivery_id = issuance.delivery->id,
          .secret_id = issuance.secret.secret_id,
          .supersedes = old.id,
          .channel = issuance.delivery->channel};
}

DownloadedPackage ClientSecrets::TakePackage(const Caller& caller, const std::string& delivery_id) {
  const domain::Delivery d = Delivery(caller, delivery_id);
  const domain::AuditEvent event =
      caller.Audit("delivery.package_download", "delivery", d.id, d.organisation);
  domain::DownloadResult r = secrets_.TakePackage(d.id, caller.source_ip, event);
  switch (r.outcome) {
    case domain::DownloadOutcome::kDelivered:
      break;
    case domain::DownloadOutcome::kAlreadyDownloaded:
      throw AppError(ErrorCode::kGone,
                     "the package was downloaded already; ask the operator team for a reissue", "",
                     {}, "package_already_downloaded");
    case domain::DownloadOutcome::kExpired:
      throw AppError(ErrorCode::kGone,
                     "the package is no longer available; ask the operator team for a reissue", "",
                     {}, "package_expired");
    case domain::DownloadOutcome::kNotDownloadable:
      throw AppError(ErrorCode::kConflict, "this delivery's package travels by e-mail", "", {},
                     "not_a_download");
  }
  return {.delivery = d, .zip = std::move(r.zip)};
}

}  // namespace onboard::usecases
