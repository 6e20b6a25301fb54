#include "client_common.hpp"
#include "client_metadata_json.hpp"
#include "client_validator.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

// Creates a test client. Production clients come only from an approved production order,
// so nothing reaches production without accepted terms and the operator team's review.
void ClientsPost(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
  JsonFields f(*body);
  const std::string environment = f.String("environment", true, 32).value_or("");
  std::string channel =
      f.String("registration_channel", false, 32).value_or(ctx.IsPortal() ? "portal" : "operator");
  std::vector<FieldError> errors;
  // A member that is there but not a short string (too long, a number, an object) is
  // invalid, not absent: it must never fall back to the default.
  if (body->has("environment") && environment.empty()) {
    errors.push_back({"environment", "invalid_value", "environment must be test"});
  }
  if (body->has("registration_channel") && !body->isNull("registration_channel") &&
      (!body->get("registration_channel").isString() ||
       body->getValue<std::string>("registration_channel").size() > 32)) {
    errors.push_back({"registration_channel", "invalid_value",
                      "registration_channel must be portal, operator, mail or web_form"});
  }
  if (!environment.empty() && environment != "test") {
    if (environment == "production") {
      errors.push_back({"environment", "production_requires_order",
                        "production clients are created by approving a production order"});
    } else {
      errors.push_back({"environment", "invalid_value", "environment must be test"});
    }
  }
  if (ctx.IsPortal() && channel != "portal") {
    errors.push_back(
        {"registration_channel", "not_allowed", "the portal registers through the portal channel"});
  } else if (!domain::IsRegistrationChannel(channel) || channel == "production_order" ||
             channel == "registration_api") {
    errors.push_back({"registration_channel", "invalid_value",
                      "registration_channel must be portal, operator, mail or web_form"});
  }
  domain::ParseOptions options;
  options.ignored_fields = {"environment", "registration_channel"};
  domain::ClientMetadata metadata;
  try {
    metadata = domain::ParseClientMetadata(*body, options);
  } catch (const AppError& e) {
    errors.insert(errors.end(), e.field_errors().begin(), e.field_errors().end());
  }
  if (errors.empty()) {
    auto rules = domain::ValidateClientMetadata(metadata, domain::Environment::kTest, svc.scopes);
    errors.insert(errors.end(), rules.begin(), rules.end());
  }
  if (!errors.empty())
    throw AppError(ErrorCode::kValidation, "client metadata is invalid", "", errors);
  if (ctx.caller->access_token) {
    client_common::ApplyAccessTokenOwnership(ctx, metadata);
  } else if (ctx.IsPortal() && metadata.client_orgno != ctx.caller->portal_org) {
    throw AppError(ErrorCode::kValidation,
                   "a portal registers clients only for the organisation it acts for", "",
                   {{"client_orgno", "not_own_organisation",
                     "client_orgno must be the organisation you act for"}});
  }
  domain::Client client;
  client.client_id = crypto::NewUuid();
  client.environment = domain::Environment::kTest;
  client.state = domain::ClientState::kActive;
  client.registration_channel = channel;
  client.created_by = ctx.caller->token_name;
  client.metadata = std::move(metadata);
  const Poco::JSON::Object::Ptr stored = domain::ToJson(client.metadata);
  client.metadata_json = domain::StoredMetadataText(*stored);
  domain::ClientWrite write;
  write.change = "create";
  write.diff_json = domain::CreationDiffJson(*stored);
  write.audit =
      ctx.Audit("client.create", "client", client.client_id, client.metadata.client_orgno);
  write.audit.detail_json = "{\"environment\":\"test\",\"integration_type\":\"" +
                            std::string(domain::ToString(client.metadata.integration_type)) +
                            "\",\"channel\":\"" + channel + "\"}";
  domain::Client created;
  try {
    // The organisation must exist: the foreign key checks it inside the insert, which
    // spares the hot path a lookup round trip before it.
    created = svc.clients.Create(client, std::nullopt, write);
  } catch (const AppError& e) {
    if (e.code_name() != "clients_organisation_fkey") throw;
    throw AppError(ErrorCode::kValidation, "client metadata is invalid", e.internal(),
                   {{"client_orgno", "unknown_organisation", "register the organisation first"}});
  }
  ctx.response.set("Location", "/v1/clients/" + created.client_id);
  client_common::WriteClient(ctx, 201, created);
}

}  // namespace onboard::http::handlers
