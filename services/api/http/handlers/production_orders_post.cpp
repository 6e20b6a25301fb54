#include <Poco/JSON/Parser.h>

#include <sstream>

#include "client_common.hpp"
#include "client_metadata_json.hpp"
#include "client_validator.hpp"
#include "crypto.hpp"
#include "delivery.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "organisation.hpp"
#include "production_order_common.hpp"

namespace onboard::http::handlers {

namespace {

std::string Stringify(const Poco::Dynamic::Var& v) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(v, out);
  return out.str();
}

std::string ErrorsJson(const std::vector<FieldError>& errors) {
  Poco::JSON::Array out;
  for (const auto& e : errors) {
    Poco::JSON::Object o;
    o.set("path", e.path);
    o.set("code", e.code);
    o.set("message", e.message);
    out.add(o);
  }
  return Stringify(out);
}

}  // namespace

// The owner (portal) or an operator orders production for a verified test client: the
// proposed production metadata is the test client's with the production redirect URIs
// and any merge patch applied; nothing secret is copied.
void ProductionOrdersPost(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
  auto onboarding = svc.onboardings.Find(ctx.Param("id"));
  if (!onboarding) throw AppError(ErrorCode::kNotFound, "no such onboarding case");
  ctx.RequireOrgVisible(onboarding->organisation, "no such onboarding case");

  JsonFields f(*body);
  const std::string test_client_id = f.String("test_client_id", true, 64).value_or("");
  Poco::JSON::Array::Ptr redirect_uris = f.Array("redirect_uris", true);
  Poco::JSON::Array::Ptr post_logout = f.Array("post_logout_redirect_uris", false);
  const auto frontchannel = f.String("frontchannel_logout_uri", false, 2000);
  Poco::JSON::Object::Ptr patch = f.Object("metadata", false);
  Poco::JSON::Object::Ptr delivery = f.Object("delivery", true);
  const std::string notes = f.String("notes", false, 4000).value_or("");
  const bool submit = f.Bool("submit", false).value_or(true);
  domain::ProductionOrder order;
  if (delivery) {
    JsonFields d(*delivery, "delivery/");
    const std::string method = d.String("method", true, 32).value_or("");
    auto parsed = domain::DeliveryMethodFromString(method);
    if (!method.empty() && !parsed)
      d.AddError("method", "invalid_value", "method must be sms_zip or certificate");
    order.delivery_method = parsed.value_or(domain::DeliveryMethod::kSmsZip);
    order.delivery_mobile = d.String("mobile", false, 32).value_or("");
    order.delivery_email = d.String("email", false, 254).value_or("");
    if (order.delivery_method == domain::DeliveryMethod::kSmsZip) {
      if (!domain::IsE164(order.delivery_mobile)) {
        d.AddError("mobile", "invalid_e164",
                   "sms_zip needs the mobile number (E.164) that receives the password");
      } else if (!domain::IsAcceptedMobile(order.delivery_mobile,
                                           svc.config.delivery.mobile_prefixes)) {
        d.AddError(
            "mobile", "invalid_mobile",
            "the password goes by SMS only to numbers with an accepted prefix (+47 and 8 digits)");
      }
      if (!domain::IsPlausibleEmail(order.delivery_email)) {
        d.AddError("email", "invalid_email",
                   "sms_zip needs the e-mail address that receives the package");
      }
    } else if (!order.delivery_mobile.empty()) {
      d.AddError("mobile", "not_allowed", "a certificate delivery needs no mobile number");
    }
    try {
      d.Finish();
    } catch (const AppError& e) {
      f.AddErrors(e.field_errors());
    }
  }
  f.Finish("the production order is invalid");

  auto test_client = svc.clients.Find(test_client_id);
  bool linked = false;
  for (const auto& c : onboarding->test_clients) linked = linked || c.client_id == test_client_id;
  if (!test_client || test_client->environment != domain::Environment::kTest || !linked) {
    throw AppError(ErrorCode::kValidation, "the production order is invalid", "",
                   {{"test_client_id", "not_a_linked_test_client",
                     "name a test client linked to this onboarding case"}});
  }

  // Proposed production metadata: test metadata + explicit production values + patch.
  Poco::JSON::Parser parser;
  Poco::JSON::Object::Ptr proposed =
      parser.parse(test_client->metadata_json).extract<Poco::JSON::Object::Ptr>();
  if (patch) proposed = domain::ApplyMergePatch(*proposed, *patch);
  proposed->set("redirect_uris", redirect_uris);
  if (post_logout) proposed->set("post_logout_redirect_uris", post_logout);
  if (frontchannel) proposed->set("frontchannel_logout_uri", *frontchannel);
  if (order.delivery_method == domain::DeliveryMethod::kCertificate) {
    proposed->set("token_endpoint_auth_method", "private_key_jwt");
  }
  domain::ParseOptions options;
  options.fixed_integration_type =
      domain::ParseStoredMetadata(test_client->metadata_json).integration_type;
  domain::ClientMetadata metadata = domain::ParseClientMetadata(*proposed, options);
  if (metadata.client_orgno != onboarding->organisation) {
    throw AppError(ErrorCode::kValidation, "the production order is invalid", "",
                   {{"metadata/client_orgno", "immutable",
                     "the production client belongs to the same organisation"}});
  }
  if (order.delivery_method == domain::DeliveryMethod::kSmsZip &&
      metadata.token_endpoint_auth_method != domain::AuthMethod::kClientSecretBasic &&
      metadata.token_endpoint_auth_method != domain::AuthMethod::kClientSecretPost) {
    throw AppError(ErrorCode::kValidation, "the production order is invalid", "",
                   {{"delivery/method", "needs_secret_method",
                     "sms_zip delivers a client secret: the client must use client_secret_basic or "
                     "client_secret_post"}});
  }
  const std::vector<FieldError> production_errors =
      domain::ValidateClientMetadata(metadata, domain::Environment::kProduction, svc.scopes);

  order.id = crypto::NewUuid();
  order.onboarding_id = onboarding->id;
  order.organisation = onboarding->organisation;
  order.test_client_id = test_client->client_id;
  order.state = submit ? domain::OrderState::kSubmitted : domain::OrderState::kDraft;
  order.proposed_metadata_json = domain::MetadataToJsonText(metadata);
  order.metadata_diff_json =
      domain::DiffMetadataJson(test_client->metadata_json, order.proposed_metadata_json);
  order.validation_errors_json = ErrorsJson(production_errors);
  order.notes = notes;
  order.entered_by = ctx.caller->token_name;
  order.entered_by_role = std::string(domain::RoleName(ctx.caller->role));
  order.entered_by_portal_user = ctx.caller->portal_user;
  if (submit) {
    orders::EnsureValidForProduction(order);
    orders::EnsureReady(svc, test_client->client_id, order.delivery_method,
                        order.proposed_metadata_json);
  }
  domain::AuditEvent audit =
      ctx.Audit(submit ? "production_order.submit" : "production_order.create", "production_order",
                order.id, order.organisation);
  Poco::JSON::Object detail;
  detail.set("test_client_id", order.test_client_id);
  detail.set("onboarding_id", order.onboarding_id);
  detail.set("delivery_method", std::string(domain::ToString(order.delivery_method)));
  detail.set("state", std::string(domain::ToString(order.state)));
  audit.detail_json = Stringify(detail);
  domain::ProductionOrder created = svc.orders.Create(order, audit);
  ctx.response.set("Location", "/v1/production-orders/" + created.id);
  orders::WriteOrder(ctx, 201, created);
}

}  // namespace onboard::http::handlers
