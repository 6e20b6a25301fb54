#include "production_orders.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "audit_details.hpp"
#include "client_metadata_json.hpp"
#include "client_validator.hpp"
#include "clients.hpp"
#include "crypto.hpp"
#include "merge_patch.hpp"
#include "organisation.hpp"

namespace onboard::usecases {

namespace {

constexpr const char* kNoSuchOrder = "no such production order";
constexpr const char* kInvalidOrder = "the production order is invalid";

Poco::Dynamic::Var Parse(const std::string& json) {
  Poco::JSON::Parser parser;
  return parser.parse(json);
}

// The production validation errors as the order stores them.
std::string ErrorsJson(const std::vector<FieldError>& errors) {
  Poco::JSON::Array out;
  for (const auto& e : errors) {
    Poco::JSON::Object o;
    o.set("path", e.path);
    o.set("code", e.code);
    o.set("message", e.message);
    out.add(o);
  }
  std::ostringstream text;
  Poco::JSON::Stringifier::stringify(out, text);
  return text.str();
}

// The proposed production metadata: the test client's metadata, the merge patch, then the
// explicit production values. A certificate delivery forces private_key_jwt (the client
// authenticates with the certificate's key, never a secret).
Poco::JSON::Object::Ptr Proposal(const domain::Client& test_client,
                                 const NewProductionOrder& command) {
  Poco::JSON::Object::Ptr proposed = domain::ToJson(test_client.metadata);
  if (command.metadata_patch)
    proposed = domain::ApplyMergePatch(*proposed, *command.metadata_patch);
  proposed->set("redirect_uris", command.redirect_uris);
  if (command.post_logout_redirect_uris)
    proposed->set("post_logout_redirect_uris", command.post_logout_redirect_uris);
  if (command.frontchannel_logout_uri)
    proposed->set("frontchannel_logout_uri", *command.frontchannel_logout_uri);
  if (command.delivery_method == domain::DeliveryMethod::kCertificate) {
    proposed->set("token_endpoint_auth_method", "private_key_jwt");
  }
  return proposed;
}

}  // namespace

void EnsureValidForProduction(const domain::ProductionOrder& order) {
  Poco::JSON::Array::Ptr errors =
      Parse(order.validation_errors_json).extract<Poco::JSON::Array::Ptr>();
  if (errors->size() == 0) return;
  std::vector<FieldError> fields;
  for (std::size_t i = 0; i < errors->size(); ++i) {
    Poco::JSON::Object::Ptr e = errors->getObject(static_cast<unsigned>(i));
    fields.push_back({e->optValue<std::string>("path", ""), e->optValue<std::string>("code", ""),
                      e->optValue<std::string>("message", "")});
  }
  throw AppError(ErrorCode::kValidation, "the proposed metadata is not valid for production", "",
                 fields, "invalid_for_production");
}

std::vector<FieldError> ProductionOrders::DeliveryRules(const NewProductionOrder& command) const {
  std::vector<FieldError> errors;
  if (!command.delivery_sent) return errors;
  if (command.delivery_method == domain::DeliveryMethod::kSmsZip) {
    if (!domain::IsE164(command.delivery_mobile)) {
      errors.push_back({"delivery/mobile", "invalid_e164",
                        "sms_zip needs the mobile number (E.164) that receives the password"});
    } else if (!domain::IsAcceptedMobile(command.delivery_mobile, policy_.mobile_prefixes)) {
      errors.push_back(
          {"delivery/mobile", "invalid_mobile",
           "the password goes by SMS only to numbers with an accepted prefix (+47 and 8 digits)"});
    }
    if (!domain::IsPlausibleEmail(command.delivery_email)) {
      errors.push_back({"delivery/email", "invalid_email",
                        "sms_zip needs the e-mail address that receives the package"});
    }
  } else if (!command.delivery_mobile.empty()) {
    errors.push_back(
        {"delivery/mobile", "not_allowed", "a certificate delivery needs no mobile number"});
  }
  return errors;
}

domain::ProductionOrder ProductionOrders::Create(const Caller& caller,
                                                 const NewProductionOrder& command) {
  auto onboarding = onboardings_.Find(command.onboarding_id);
  if (!onboarding) throw AppError(ErrorCode::kNotFound, "no such onboarding case");
  caller.RequireVisible(onboarding->organisation, "no such onboarding case");
  ThrowIfInvalid(command.input_errors, DeliveryRules(command), kInvalidOrder);

  auto test_client = clients_.Find(command.test_client_id);
  bool linked = false;
  for (const auto& c : onboarding->test_clients)
    linked = linked || c.client_id == command.test_client_id;
  if (!test_client || test_client->environment != domain::Environment::kTest || !linked) {
    throw AppError(ErrorCode::kValidation, kInvalidOrder, "",
                   {{"test_client_id", "not_a_linked_test_client",
                     "name a test client linked to this onboarding case"}});
  }
  domain::ParseOptions options;
  options.fixed_integration_type = test_client->metadata.integration_type;
  domain::ClientMetadata metadata =
      domain::ParseClientMetadata(*Proposal(*test_client, command), options);
  if (metadata.client_orgno != onboarding->organisation) {
    throw AppError(ErrorCode::kValidation, kInvalidOrder, "",
                   {{"metadata/client_orgno", "immutable",
                     "the production client belongs to the same organisation"}});
  }
  if (command.delivery_method == domain::DeliveryMethod::kSmsZip &&
      !domain::UsesClientSecret(metadata.token_endpoint_auth_method)) {
    throw AppError(ErrorCode::kValidation, kInvalidOrder, "",
                   {{"delivery/method", "needs_secret_method",
                     "sms_zip delivers a client secret: the client must use client_secret_basic or "
                     "client_secret_post"}});
  }
  domain::ProductionOrder order;
  order.id = crypto::NewUuid();
  order.onboarding_id = onboarding->id;
  order.organisation = onboarding->organisation;
  order.test_client_id = test_client->client_id;
  order.state = command.submit ? domain::OrderState::kSubmitted : domain::OrderState::kDraft;
  order.delivery_method = command.delivery_method;
  order.delivery_mobile = command.delivery_mobile;
  order.delivery_email = command.delivery_email;
  order.proposed_metadata_json = domain::MetadataToJsonText(metadata);
  order.metadata_diff_json =
      domain::DiffMetadataJson(test_client->metadata_json, order.proposed_metadata_json);
  order.validation_errors_json = ErrorsJson(
      domain::ValidateClientMetadata(metadata, domain::Environment::kProduction, scopes_));
  order.notes = command.notes;
  order.entered_by = caller.who;
  order.entered_by_role = std::string(domain::RoleName(caller.role));
  order.entered_by_portal_user = caller.portal_user;
  if (command.submit) {
    EnsureValidForProduction(order);
    EnsureReady(order.test_client_id, order.delivery_method, order.proposed_metadata_json);
  }
  domain::AuditEvent audit =
      caller.Audit(command.submit ? "production_order.submit" : "production_order.create",
                   "production_order", order.id, order.organisation);
  audit.detail_json = audit::Render(
      audit::OrderCreated{.test_client_id = order.test_client_id,
                          .onboarding_id = order.onboarding_id,
                          .delivery_method = std::string(domain::ToString(order.delivery_method)),
                          .state = std::string(domain::ToString(order.state))});
  return orders_.Create(order, audit);
}

domain::ProductionOrder ProductionOrders::Get(const Caller& caller, const std::string& order_id) {
  auto order = orders_.Find(order_id);
  if (!order) throw AppError(ErrorCode::kNotFound, kNoSuchOrder);
  caller.RequireVisible(order->organisation, kNoSuchOrder);
  return *order;
}

domain::Page<domain::ProductionOrder> ProductionOrders::List(const Caller& caller,
                                                             const OrderQuery& query) {
  domain::OrderFilter filter;
  if (!query.state.empty()) {
    filter.state = domain::OrderStateFromString(query.state);
    if (!filter.state) {
      throw AppError(ErrorCode::kValidation, "invalid filter", "",
                     {{"state", "invalid_value",
                       "state must be draft, submitted, approved, rejected or cancelled"}});
    }
  }
  if (!query.onboarding_id.empty()) filter.onboarding_id = query.onboarding_id;
  if (caller.IsPortal()) filter.organisation = caller.organisation;
  if (filter.onboarding_id && filter.onboarding_id->size() != 36) {
    throw AppError(ErrorCode::kValidation, "invalid filter", "",
                   {{"onboarding_id", "invalid", "not an id"}});
  }
  return orders_.List(filter, query.page);
}

bool ProductionOrders::DeliveryReachable(const domain::ProductionOrder& order) const {
  if (order.delivery_method != domain::DeliveryMethod::kSmsZip) return true;
  return domain::IsAcceptedMobile(order.delivery_mobile, policy_.mobile_prefixes) &&
         domain::IsPlausibleEmail(order.delivery_email);
}

domain::Page<ListedOrder> ProductionOrders::ListWithReadiness(const Caller& caller,
                                                              const OrderQuery& query) {
  domain::Page<domain::ProductionOrder> page = List(caller, query);
  std::vector<ReadinessSubject> subjects;
  for (const domain::ProductionOrder& o : page.items) {
    if (o.state == domain::OrderState::kDraft || o.state == domain::OrderState::kSubmitted)
      subjects.push_back({o.test_client_id, o.delivery_method, o.proposed_metadata_json});
  }
  const std::vector<domain::Readiness> judged = verifications_.EvaluateMany(subjects);
  domain::Page<ListedOrder> out;
  out.next_cursor = page.next_cursor;
  std::size_t next = 0;
  for (domain::ProductionOrder& o : page.items) {
    ListedOrder listed{std::move(o), std::nullopt};
    const domain::OrderState state = listed.order.state;
    if (state == domain::OrderState::kDraft || state == domain::OrderState::kSubmitted) {
      ReadinessSummary summary;
      for (const domain::ReadinessItem& item : judged.at(next++).items) {
        if (!item.ok) summary.missing.push_back(item.id);
      }
      if (!DeliveryReachable(listed.order)) summary.missing.push_back("delivery");
      summary.ready = summary.missing.empty();
      listed.readiness = std::move(summary);
    }
    out.items.push_back(std::move(listed));
  }
  return out;
}

void ProductionOrders::CheckDecision(const OrderDecision& command, bool reason_required) {
  if (!command.body_sent) {
    if (reason_required) {
      throw AppError(ErrorCode::kValidation, "a reason is required", "",
                     {{"reason", "required", "say why"}});
    }
    return;
  }
  std::vector<FieldError> rules;
  if (reason_required && !command.reason_sent) {
    rules.push_back({"reason", "required", "reason is required"});
  }
  if (reason_required && command.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    rules.push_back({"reason", "required", "say why, so the owner can act on it"});
  }
  ThrowIfInvalid(command.input_errors, rules, "the request is invalid");
}

domain::ProductionOrder ProductionOrders::Decide(const Caller& caller, const OrderDecision& command,
                                                 domain::OrderTransition t) {
  CheckDecision(command, t == domain::OrderTransition::kReject);
  const domain::ProductionOrder current = Get(caller, command.order_id);
  domain::ProductionOrder next = current;
  next.state = domain::ApplyOrderTransition(current.state, t);
  if (t == domain::OrderTransition::kReject || t == domain::OrderTransition::kCancel) {
    next.decided_by = caller.who;
    next.decision_reason = command.reason;
  }
  if (t == domain::OrderTransition::kSubmit) {
    EnsureValidForProduction(current);
    EnsureReady(current.test_client_id, current.delivery_method, current.proposed_metadata_json);
  }
  domain::AuditEvent audit = caller.Audit("production_order." + std::string(domain::ToString(t)),
                                          "production_order", current.id, current.organisation);
  audit.detail_json =
      audit::Render(audit::OrderTransitioned{.from = std::string(domain::ToString(current.state)),
                                             .to = std::string(domain::ToString(next.state)),
                                             .reason = command.reason});
  return orders_.Transition(next, current.version, audit);
}

// Approving creates the production client (a new client_id; nothing secret is copied from
// test) in the same transaction as the order's approval. An sms_zip order's secret is
// issued in that transaction too (delivery + outbox, the path of POST
// /v1/clients/{id}/secret), which makes the client active; a certificate order's client
// waits in awaiting_credentials until its certificate is bound.
ApprovedOrder ProductionOrders::Approve(const Caller& caller, const OrderDecision& command) {
  CheckDecision(command, false);
  const domain::ProductionOrder current = Get(caller, command.order_id);
  domain::ProductionOrder next = current;
  next.state = domain::ApplyOrderTransition(current.state, domain::OrderTransition::kApprove);
  domain::EnsureFourEyes(current, caller.who, policy_.four_eyes);
  EnsureValidForProduction(current);
  EnsureReady(current.test_client_id, current.delivery_method, current.proposed_metadata_json);

  domain::ClientMetadata metadata = domain::ParseStoredMetadata(current.proposed_metadata_json);
  domain::EnsureValidClientMetadata(metadata, domain::Environment::kProduction, scopes_);
  ClientDraft draft =
      DraftClient(domain::Environment::kProduction, domain::ClientState::kAwaitingCredentials,
                  "production_order", caller.who, std::move(metadata));
  domain::AuditEvent audit = caller.Audit("production_order.approve", "production_order",
                                          current.id, current.organisation);
  audit.detail_json = audit::Render(audit::OrderApproved{
      .production_client_id = draft.client.client_id,
      .test_client_id = current.test_client_id,
      .delivery_method = std::string(domain::ToString(current.delivery_method)),
      .entered_by = current.entered_by,
      .reason = command.reason});
  const domain::ClientWrite client_write{"create", draft.creation_diff, audit, std::nullopt};
  next.decided_by = caller.who;
  next.decision_reason = command.reason;
  std::optional<domain::SecretIssuance> issuance;
  if (current.delivery_method == domain::DeliveryMethod::kSmsZip) {
    issuance = deliveries_.Prepare(caller, draft.client,
                                   Destination{.channel = std::nullopt,
                                               .mobile = current.delivery_mobile,
                                               .email = current.delivery_email,
                                               .order_id = current.id});
  }
  ApprovedOrder out{
      .order = orders_.Approve(next, current.version, draft.client, client_write, audit, issuance),
      .delivery_id = std::nullopt};
  if (issuance) out.delivery_id = issuance->delivery->id;
  return out;
}

void ProductionOrders::EnsureReady(const std::string& test_client_id,
                                   domain::DeliveryMethod delivery,
                                   const std::string& proposed_metadata_json) {
  auto client = clients_.Find(test_client_id);
  if (!client) throw AppError(ErrorCode::kNotFound, "no such client");
  const domain::Readiness readiness =
      verifications_.Evaluate(*client, delivery, proposed_metadata_json);
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

}  // namespace onboard::usecases
