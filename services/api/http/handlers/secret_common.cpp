#include "secret_common.hpp"

#include <Poco/JSON/Object.h>

#include "common_codecs.hpp"
#include "error.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers::secret_common {

namespace {

// The optional JSON body (none, or an empty one, reads as {}).
Poco::JSON::Object::Ptr OptionalDeliveryBody(RequestContext& ctx, AppServices& svc) {
  const bool has_body = ctx.request.hasContentLength() && ctx.request.getContentLength64() > 0;
  if (has_body)
    return ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
  ctx.body_consumed = true;
  return new Poco::JSON::Object;
}

usecases::Destination ReadDestinationMembers(const Poco::JSON::Object& body,
                                             std::vector<FieldError>& errors) {
  usecases::Destination d;
  JsonFields f(body);
  const auto channel = f.String("channel", false, 16);
  if (channel) {
    d.channel = domain::DeliveryChannelFromString(*channel);
    if (!d.channel) f.AddError("channel", "invalid_value", "channel must be email or download");
  }
  d.mobile = f.String("mobile", false, 32).value_or("");
  d.email = f.String("email", false, 254).value_or("");
  errors = f.Problems();
  return d;
}

}  // namespace

usecases::SecretRequest ReadSecretRequest(RequestContext& ctx, AppServices& svc) {
  const Poco::JSON::Object::Ptr body = OptionalDeliveryBody(ctx, svc);
  usecases::SecretRequest command;
  command.client_id = ctx.Param("client_id");
  command.destination = ReadDestinationMembers(*body, command.destination_errors);
  command.unexpected_fields = JsonFields(*body).Problems();
  return command;
}

usecases::ReissueRequest ReadReissueRequest(RequestContext& ctx, AppServices& svc) {
  const Poco::JSON::Object::Ptr body = OptionalDeliveryBody(ctx, svc);
  usecases::ReissueRequest command;
  command.delivery_id = ctx.Param("delivery_id");
  command.destination = ReadDestinationMembers(*body, command.input_errors);
  return command;
}

namespace {

// The courier's progress on the message of `kind`, so failures show while they are retried.
void SetTransport(Poco::JSON::Object& step, const domain::Delivery& d, const char* kind) {
  for (const auto& t : d.transport) {
    if (t.kind != kind) continue;
    Poco::JSON::Object out;
    out.set("state", t.state);
    out.set("attempts", t.attempts);
    if (t.last_error_code.empty() && t.last_error_message.empty()) {
      out.set("last_error", Poco::Dynamic::Var());
    } else {
      Poco::JSON::Object error;
      error.set("code", t.last_error_code);
      error.set("message", t.last_error_message);
      out.set("last_error", error);
    }
    out.set("next_attempt_at", OrNull(t.state == "pending" ? t.next_attempt_at : std::string()));
    step.set("transport", out);
  }
}

Poco::JSON::Object DeliveryStepsJson(const domain::Delivery& d) {
  Poco::JSON::Object package;
  package.set("state", d.package_state);
  package.set("expires_at", d.package_expires_at);
  package.set("destroyed_at", OrNull(d.package_destroyed_at));
  package.set("downloaded_at", OrNull(d.downloaded_at));
  package.set("downloaded_ip", OrNull(d.downloaded_ip));
  package.set("download_attempts", d.download_attempts);
  Poco::JSON::Object email;
  email.set("state", d.email_state);
  email.set("sent_at", OrNull(d.email_sent_at));
  email.set("error", OrNull(d.email_error));
  SetTransport(email, d, "email");
  Poco::JSON::Object sms;
  sms.set("state", d.sms_state);
  sms.set("sid", OrNull(d.sms_sid));
  sms.set("error_code", OrNull(d.sms_error_code));
  sms.set("error_message", OrNull(d.sms_error_message));
  sms.set("updated_at", OrNull(d.sms_updated_at));
  sms.set("redacted_at", OrNull(d.sms_redacted_at));
  SetTransport(sms, d, "sms");
  Poco::JSON::Object steps;
  steps.set("package", package);
  steps.set("email", email);
  steps.set("sms", sms);
  return steps;
}

}  // namespace

Poco::JSON::Object DeliveryJson(const domain::Delivery& d) {
  Poco::JSON::Object o;
  o.set("id", d.id);
  o.set("client_id", d.client_id);
  o.set("secret_id", d.secret_id);
  o.set("organisation", d.organisation);
  o.set("order_id", OrNull(d.order_id));
  o.set("environment", d.environment);
  o.set("channel", d.channel);
  o.set("state", domain::OverallDeliveryState(d));
  Poco::JSON::Object recipients;
  recipients.set("mobile", d.mobile);
  recipients.set("email", OrNull(d.email));
  o.set("recipients", recipients);
  o.set("steps", DeliveryStepsJson(d));
  o.set("revoked_at", OrNull(d.revoked_at));
  o.set("superseded_by", OrNull(d.superseded_by));
  o.set("created_by", d.created_by);
  o.set("created_at", d.created_at);
  o.set("updated_at", d.updated_at);
  return o;
}

}  // namespace onboard::http::handlers::secret_common
