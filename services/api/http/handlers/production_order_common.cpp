#include "production_order_common.hpp"

#include <Poco/JSON/Parser.h>

#include "codecs.hpp"
#include "common_codecs.hpp"
#include "error.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers::orders {

namespace {
Poco::Dynamic::Var Parse(const std::string& json) {
  Poco::JSON::Parser parser;
  return parser.parse(json);
}
}  // namespace

Poco::JSON::Object::Ptr OrderJson(const domain::ProductionOrder& o) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object();
  out->set("id", o.id);
  out->set("onboarding_id", o.onboarding_id);
  out->set("organisation", o.organisation);
  out->set("test_client_id", o.test_client_id);
  out->set("state", std::string(domain::ToString(o.state)));
  Poco::JSON::Object delivery;
  delivery.set("method", std::string(domain::ToString(o.delivery_method)));
  if (!o.delivery_mobile.empty()) delivery.set("mobile", o.delivery_mobile);
  if (!o.delivery_email.empty()) delivery.set("email", o.delivery_email);
  out->set("delivery", delivery);
  out->set("proposed_metadata", Parse(o.proposed_metadata_json));
  out->set("metadata_diff", Parse(o.metadata_diff_json));
  Poco::JSON::Object validation;
  Poco::Dynamic::Var errors = Parse(o.validation_errors_json);
  validation.set("valid", errors.extract<Poco::JSON::Array::Ptr>()->size() == 0);
  validation.set("errors", errors);
  out->set("production_validation", validation);
  out->set("notes", o.notes);
  Poco::JSON::Object entered;
  entered.set("by", o.entered_by);
  entered.set("role", o.entered_by_role);
  if (!o.entered_by_portal_user.empty()) entered.set("portal_user", o.entered_by_portal_user);
  out->set("entered", entered);
  out->set("submitted_at", OrNull(o.submitted_at));
  out->set("decided_at", OrNull(o.decided_at));
  out->set("decided_by", OrNull(o.decided_by));
  out->set("decision_reason", OrNull(o.decision_reason));
  out->set("production_client_id", OrNull(o.production_client_id));
  out->set("age_seconds", o.age_seconds);
  out->set("version", o.version);
  out->set("created_at", o.created_at);
  out->set("updated_at", o.updated_at);
  return out;
}

Poco::JSON::Object::Ptr ListedOrderJson(const usecases::ListedOrder& listed) {
  Poco::JSON::Object::Ptr out = OrderJson(listed.order);
  if (!listed.readiness) {
    out->set("readiness", Poco::Dynamic::Var());
    return out;
  }
  Poco::JSON::Object readiness;
  readiness.set("ready", listed.readiness->ready);
  Poco::JSON::Array missing;
  for (const std::string& code : listed.readiness->missing) missing.add(code);
  readiness.set("missing", missing);
  out->set("readiness", readiness);
  return out;
}

domain::ProductionOrder LoadVisible(RequestContext& ctx, AppServices& svc) {
  return svc.use_cases.orders.Get(ctx.UseCaseCaller(), ctx.Param("order_id"));
}

void WriteOrder(RequestContext& ctx, int status, const domain::ProductionOrder& order) {
  ctx.response.set("ETag", VersionEtag(order.version));
  WriteJson(ctx, status, *OrderJson(order));
}

}  // namespace onboard::http::handlers::orders
