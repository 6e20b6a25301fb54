#include "audit_details.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "json_text.hpp"

namespace onboard::usecases::audit {

namespace {

Poco::JSON::Array Strings(const std::vector<std::string>& values) {
  Poco::JSON::Array out;
  for (const auto& v : values) out.add(v);
  return out;
}

}  // namespace

std::string Render(const ClientCreated& detail) {
  Poco::JSON::Object o;
  o.set("environment", detail.environment);
  if (detail.integration_type) o.set("integration_type", *detail.integration_type);
  o.set("channel", detail.channel);
  if (detail.secret_id) o.set("secret_id", *detail.secret_id);
  return json::Text(o);
}

std::string Render(const SecretShownOnce& detail) {
  Poco::JSON::Object o;
  o.set("secret_id", detail.secret_id);
  o.set("secret_prefix", detail.secret_prefix);
  o.set("secret_expires_at", detail.secret_expires_at);
  o.set("shown_once", true);
  return json::Text(o);
}

std::string Render(const SecretRevoked& detail) {
  Poco::JSON::Object o;
  o.set("secret_id", detail.secret_id);
  return json::Text(o);
}

std::string Render(const KeyAdded& detail) {
  Poco::JSON::Object o;
  o.set("kid", detail.kid);
  if (detail.certificate) {
    o.set("subject", detail.subject);
    o.set("issuer", detail.issuer);
    o.set("serial", detail.serial);
    o.set("not_after", detail.not_after);
  } else {
    o.set("alg", detail.alg);
  }
  o.set("environment", detail.environment);
  o.set("auth_method_changed", detail.auth_method_changed);
  o.set("activated", detail.activated);
  o.set("secrets_revoked", true);  // "any secrets are revoked"
  return json::Text(o);
}

std::string Render(const KeyRemoved& detail) {
  Poco::JSON::Object o;
  o.set("kid", detail.kid);
  o.set("environment", detail.environment);
  return json::Text(o);
}

std::string Render(const KeysReplaced& detail) {
  Poco::JSON::Object o;
  o.set("keys", detail.keys);
  o.set("environment", detail.environment);
  o.set("auth_method_changed", detail.auth_method_changed);
  o.set("activated", detail.activated);
  o.set("secrets_revoked", true);
  return json::Text(o);
}

std::string Render(const OrderCreated& detail) {
  Poco::JSON::Object o;
  o.set("test_client_id", detail.test_client_id);
  o.set("onboarding_id", detail.onboarding_id);
  o.set("delivery_method", detail.delivery_method);
  o.set("state", detail.state);
  return json::Text(o);
}

std::string Render(const OrderTransitioned& detail) {
  Poco::JSON::Object o;
  o.set("from", detail.from);
  o.set("to", detail.to);
  if (!detail.reason.empty()) o.set("reason", detail.reason);
  return json::Text(o);
}

std::string Render(const OrderApproved& detail) {
  Poco::JSON::Object o;
  o.set("production_client_id", detail.production_client_id);
  o.set("test_client_id", detail.test_client_id);
  o.set("delivery_method", detail.delivery_method);
  o.set("entered_by", detail.entered_by);
  if (!detail.reason.empty()) o.set("reason", detail.reason);
  return json::Text(o);
}

std::string Render(const ClientChanged& detail) {
  Poco::JSON::Object o;
  o.set("environment", detail.environment);
  o.set("from_version", detail.from_version);
  o.set("state", detail.state);
  o.set("changed_fields", Strings(detail.changed_fields));
  if (detail.secrets_revoked) o.set("secrets_revoked", true);
  return json::Text(o);
}

std::string Render(const RegistrationUpdated& detail) {
  Poco::JSON::Object o;
  if (detail.secrets_revoked) o.set("secrets_revoked", true);
  return json::Text(o);
}

std::string Render(const RegistrationDeleted&) {
  Poco::JSON::Object o;
  o.set("channel", "registration_api");
  o.set("registration_token_retired", true);
  return json::Text(o);
}

}  // namespace onboard::usecases::audit
