// Secrets and deliveries (usecases::ClientSecrets): the requests read into commands, the
// secrets and deliveries written back. No rule here.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "common_codecs.hpp"
#include "delivery.hpp"
#include "handlers.hpp"
#include "issuer.hpp"
#include "json_io.hpp"
#include "secret_common.hpp"

namespace onboard::http::handlers {

namespace {

// {channel, mobile, email}; what could not be read (unknown members included) in `errors`.
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

// The optional body of POST /v1/clients/{client_id}/secret: {channel, mobile, email}
// read for a production client, every member listed for a test client (which takes none).
void ReadSecretBody(RequestContext& ctx, AppServices& svc, usecases::SecretRequest& command) {
  const Poco::JSON::Object::Ptr body = ReadOptionalBody(ctx, svc);
  command.destination = ReadDestinationMembers(*body, command.destination_errors);
  command.unexpected_fields = JsonFields(*body).Problems();
}

// The optional {channel, mobile, email} of POST /v1/deliveries/{delivery_id}/reissue.
void ReadReissueBody(RequestContext& ctx, AppServices& svc, usecases::ReissueRequest& command) {
  const Poco::JSON::Object::Ptr body = ReadOptionalBody(ctx, svc);
  command.destination = ReadDestinationMembers(*body, command.input_errors);
}

Poco::JSON::Object SecretInfoJson(const domain::SecretInfo& s) {
  Poco::JSON::Object o;
  o.set("id", s.secret_id);
  o.set("prefix", s.prefix);
  o.set("state", domain::SecretListState(s));
  o.set("created_at", s.created_at);
  o.set("expires_at", s.expires_at);
  o.set("last_used_at", OrNull(s.last_used_at));
  o.set("superseded_at", OrNull(s.superseded_at));
  o.set("revoked_at", OrNull(s.revoked_at));
  o.set("delivery_id", OrNull(s.delivery_id));
  return o;
}

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

// The package, e-mail and SMS steps of a delivery.
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

Poco::JSON::Object secret_common::DeliveryJson(const domain::Delivery& d) {
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

// A new secret, with rotation (usecases::ClientSecrets::Issue): a test client gets the
// secret once in this response (201); a production client's secret goes out as a delivery
// (encrypted zip + SMS password) and this answer names only the delivery (202).
void ClientSecretPost(RequestContext& ctx, AppServices& svc) {
  usecases::SecretRequest target;
  target.client_id = ctx.Param("client_id");
  const usecases::IssuedClientSecret issued =
      svc.use_cases.secrets.Issue(ctx.UseCaseCaller(), target,
                                  [&](usecases::SecretRequest& c) { ReadSecretBody(ctx, svc, c); });
  Poco::JSON::Object out;
  out.set("secret_id", issued.record.secret_id);
  if (issued.delivery_id) {
    out.set("delivery_id", *issued.delivery_id);
    out.set("channel", std::string(domain::ToString(issued.channel)));
    ctx.response.set("Location", "/v1/deliveries/" + *issued.delivery_id);
    WriteJson(ctx, 202, out);
    return;
  }
  out.set("client_id", issued.client_id);
  out.set("client_secret", issued.secret->reveal());
  out.set("prefix", issued.record.prefix);
  out.set("expires_at", package::IsoUtc(issued.record.expires_at_epoch));
  out.set("client_secret_expires_at", issued.record.expires_at_epoch);
  ctx.response.set("Cache-Control", "no-store");
  WriteJson(ctx, 201, out);
}

// Metadata of every secret of the client, newest first; never a hash or a secret.
void ClientSecretsList(RequestContext& ctx, AppServices& svc) {
  const usecases::SecretList list =
      svc.use_cases.secrets.List(ctx.UseCaseCaller(), ctx.Param("client_id"));
  Poco::JSON::Object out = ListJson(list.items, SecretInfoJson);
  out.set("client_id", list.client_id);
  WriteJson(ctx, 200, out);
}

// Revokes one secret at once (no grace); a delivery still carrying it is stopped.
void ClientSecretDelete(RequestContext& ctx, AppServices& svc) {
  svc.use_cases.secrets.Revoke(ctx.UseCaseCaller(), ctx.Param("client_id"), ctx.Param("secret_id"));
  WriteNoContent(ctx);
}

// Each step of a delivery and its overall state; never the password or the package.
void DeliveryGet(RequestContext& ctx, AppServices& svc) {
  WriteJson(ctx, 200,
            secret_common::DeliveryJson(
                svc.use_cases.secrets.Delivery(ctx.UseCaseCaller(), ctx.Param("delivery_id"))));
}

// The one-time download (usecases::ClientSecrets::TakePackage): the first call gets the
// zip and destroys the stored copy in the same transaction; any later call answers 410 and
// leaves an audit alarm, since a second download may mean the package was intercepted.
void DeliveryPackageGet(RequestContext& ctx, AppServices& svc) {
  const usecases::DownloadedPackage p =
      svc.use_cases.secrets.TakePackage(ctx.UseCaseCaller(), ctx.Param("delivery_id"));
  ctx.response.set("Cache-Control", "no-store");
  ctx.response.set("Content-Disposition", "attachment; filename=\"credentials-" +
                                              p.delivery.environment + "-" + p.delivery.client_id +
                                              ".zip\"");
  WriteBody(ctx, 200, "application/zip", p.zip.reveal());
}

// A new secret, zip and password for the same client and recipients; the old delivery is
// retired (pending messages cancelled, package destroyed, superseded_by set) and its
// secret revoked unless it had reached its owner (usecases::ClientSecrets::Reissue).
void DeliveryReissue(RequestContext& ctx, AppServices& svc) {
  usecases::ReissueRequest target;
  target.delivery_id = ctx.Param("delivery_id");
  const usecases::ReissuedDelivery r = svc.use_cases.secrets.Reissue(
      ctx.UseCaseCaller(), target,
      [&](usecases::ReissueRequest& c) { ReadReissueBody(ctx, svc, c); });
  Poco::JSON::Object out;
  out.set("delivery_id", r.delivery_id);
  out.set("secret_id", r.secret_id);
  out.set("supersedes", r.supersedes);
  out.set("channel", std::string(domain::ToString(r.channel)));
  ctx.response.set("Location", "/v1/deliveries/" + r.delivery_id);
  WriteJson(ctx, 202, out);
}

}  // namespace onboard::http::handlers
