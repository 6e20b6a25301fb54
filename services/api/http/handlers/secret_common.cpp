#include "secret_common.hpp"

#include <Poco/JSON/Object.h>

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

Poco::JSON::Object DeliveryJson(const domain::Delivery& d) {
  auto opt = [](Poco::JSON::Object& o, const char* k, const std::string& v) {
    if (v.empty())
      o.set(k, Poco::Dynamic::Var());
    else
      o.set(k, v);
  };
  // The courier's progress on the message of `kind`, so failures show while they are retried.
  auto transport = [&](Poco::JSON::Object& step, const char* kind) {
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
      opt(out, "next_attempt_at", t.state == "pending" ? t.next_attempt_at : std::string());
      step.set("transport", out);
    }
  };
  Poco::JSON::Object o;
  o.set("id", d.id);
  o.set("client_id", d.client_id);
  o.set("secret_id", d.secret_id);
  o.set("organisation", d.organisation);
  opt(o, "order_id", d.order_id);
  o.set("environment", d.environment);
  o.set("channel", d.channel);
  o.set("state", domain::OverallDeliveryState(d));
  Poco::JSON::Object recipients;
  recipients.set("mobile", d.mobile);
  opt(recipients, "email", d.email);
  o.set("recipients", recipients);
  Poco::JSON::Object steps;
  Poco::JSON::Object package;
  package.set("state", d.package_state);
  package.set("expires_at", d.package_expires_at);
  opt(package, "destroyed_at", d.package_destroyed_at);
  opt(package, "downloaded_at", d.downloaded_at);
  opt(package, "downloaded_ip", d.downloaded_ip);
  package.set("download_attempts", d.download_attempts);
  steps.set("package", package);
  Poco::JSON::Object email;
  email.set("state", d.email_state);
  opt(email, "sent_at", d.email_sent_at);
  opt(email, "error", d.email_error);
  transport(email, "email");
  steps.set("email", email);
  Poco::JSON::Object sms;
  sms.set("state", d.sms_state);
  opt(sms, "sid", d.sms_sid);
  opt(sms, "error_code", d.sms_error_code);
  opt(sms, "error_message", d.sms_error_message);
  opt(sms, "updated_at", d.sms_updated_at);
  opt(sms, "redacted_at", d.sms_redacted_at);
  transport(sms, "sms");
  steps.set("sms", sms);
  o.set("steps", steps);
  opt(o, "revoked_at", d.revoked_at);
  opt(o, "superseded_by", d.superseded_by);
  o.set("created_by", d.created_by);
  o.set("created_at", d.created_at);
  o.set("updated_at", d.updated_at);
  return o;
}

}  // namespace onboard::http::handlers::secret_common
