#include "production_order_common.hpp"

#include <Poco/JSON/Parser.h>

#include "codecs.hpp"
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
  auto opt = [&](const char* key, const std::string& v) {
    if (v.empty())
      out->set(key, Poco::Dynamic::Var());
    else
      out->set(key, v);
  };
  opt("submitted_at", o.submitted_at);
  opt("decided_at", o.decided_at);
  opt("decided_by", o.decided_by);
  opt("decision_reason", o.decision_reason);
  opt("production_client_id", o.production_client_id);
  out->set("age_seconds", o.age_seconds);
  out->set("version", o.version);
  out->set("created_at", o.created_at);
  out->set("updated_at", o.updated_at);
  return out;
}

domain::ProductionOrder LoadVisible(RequestContext& ctx, AppServices& svc) {
  auto order = svc.orders.Find(ctx.Param("order_id"));
  if (!order) throw AppError(ErrorCode::kNotFound, "no such production order");
  ctx.RequireOrgVisible(order->organisation, "no such production order");
  return *order;
}

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

void WriteOrder(RequestContext& ctx, int status, const domain::ProductionOrder& order) {
  ctx.response.set("ETag", VersionEtag(order.version));
  WriteJson(ctx, status, *OrderJson(order));
}

}  // namespace onboard::http::handlers::orders
