#include "clock.hpp"
#include "codecs.hpp"
#include "common_codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "notify_common.hpp"
#include "uuid.hpp"

namespace onboard::http::notify_common {

namespace {

std::optional<std::vector<std::string>> NotifyStrings(JsonFields& f, const std::string& key,
                                                      std::size_t max_items) {
  Poco::JSON::Array::Ptr a = f.Array(key, false);
  if (!a) return std::nullopt;
  std::vector<std::string> out;
  if (a->size() > max_items) {
    f.AddError(key, "too_many", key + " may hold at most " + std::to_string(max_items) + " items");
    return out;
  }
  for (std::size_t i = 0; i < a->size(); ++i) {
    const auto v = a->get(i);
    if (!v.isString() || v.extract<std::string>().size() > 200) {
      f.AddError(key + "/" + std::to_string(i), "invalid_type", "expected a short string");
      continue;
    }
    out.push_back(v.extract<std::string>());
  }
  return out;
}

}  // namespace

notify::Caller CallerOf(const RequestContext& ctx) {
  notify::Caller c;
  const domain::AuditEvent base = ctx.Audit("", "", "", "");
  c.actor = base.actor;
  c.portal = ctx.IsPortal();
  if (c.portal) c.organisation = ctx.caller->portal_org;
  return c;
}

const std::string& IdParam(const RequestContext& ctx, const std::string& name,
                           const std::string& not_found) {
  const std::string& id = ctx.Param(name);
  if (!IsUuid(id)) throw AppError(ErrorCode::kNotFound, not_found);
  return id;
}

notify::ContactCommand ReadContact(RequestContext& ctx, AppServices& svc) {
  const Poco::JSON::Object::Ptr body = handlers::ReadBody(ctx, svc);
  JsonFields f(*body);
  notify::ContactCommand c;
  c.email = f.String("email", true, 254);
  if (f.Has("mobile") && f.IsNull("mobile")) {
    f.Allow("mobile");
    c.mobile = "";
  } else {
    c.mobile = f.String("mobile", false, 16);
  }
  c.language = f.String("language", false, 2);
  c.kinds = NotifyStrings(f, "kinds", 3);
  f.Finish("the notification contact is invalid");
  return c;
}

notify::WebhookCommand ReadWebhook(RequestContext& ctx, AppServices& svc, bool patch) {
  const Poco::JSON::Object::Ptr body =
      handlers::ReadBody(ctx, svc, patch ? "application/merge-patch+json" : nullptr);
  JsonFields f(*body);
  notify::WebhookCommand c;
  c.url = f.String("url", !patch, 2000);
  c.events = NotifyStrings(f, "events", 100);
  if (!patch && !c.events) f.AddError("events", "required", "events is required");
  if (f.Has("organisation") && f.IsNull("organisation"))
    f.Allow("organisation");
  else
    c.organisation = f.String("organisation", false, 9);
  c.description = f.String("description", false, 500);
  if (patch) c.active = f.Bool("active", false);
  f.Finish("the webhook is invalid");
  return c;
}

using handlers::JsonArray;
using handlers::JsonObject;
using handlers::OrNull;

Poco::JSON::Object::Ptr ContactJson(const domain::NotificationContact& c) {
  return JsonObject({{"id", c.id},
                     {"organisation", c.organisation},
                     {"client_id", OrNull(c.client_id)},
                     {"email", c.email},
                     {"mobile", OrNull(c.mobile)},
                     {"language", c.language},
                     {"kinds", JsonArray(c.kinds)},
                     {"version", c.version},
                     {"created_by", c.created_by},
                     {"created_at", c.created_at},
                     {"updated_at", c.updated_at}});
}

Poco::JSON::Array::Ptr ContactsJson(const std::vector<domain::NotificationContact>& cs) {
  return JsonArray(cs, ContactJson);
}

Poco::JSON::Object::Ptr WebhookJson(const domain::WebhookSubscription& s) {
  return JsonObject({{"id", s.id},
                     {"organisation", OrNull(s.organisation)},
                     {"url", s.url},
                     {"events", JsonArray(s.events)},
                     {"description", s.description},
                     {"active", s.state == "active"},
                     {"state", s.state},
                     {"disabled_reason", OrNull(s.disabled_reason)},
                     {"disabled_at", OrNull(s.disabled_at)},
                     {"failing_since", OrNull(s.failing_since)},
                     {"version", s.version},
                     {"created_by", s.created_by},
                     {"created_at", s.created_at},
                     {"updated_at", s.updated_at}});
}

Poco::JSON::Object::Ptr AttemptJson(const domain::WebhookAttempt& a) {
  return JsonObject({{"delivery_id", a.outbox_id},
                     {"event_id", a.event_id},
                     {"event_type", a.event_type},
                     {"attempt", a.attempt},
                     {"status", OrNull(a.status)},
                     {"latency_ms", a.latency_ms},
                     {"error", OrNull(a.error)},
                     {"attempted_at", a.attempted_at},
                     {"delivery_state", a.delivery_state}});
}

}  // namespace onboard::http::notify_common

namespace onboard::http::handlers {

using namespace notify_common;

void OrganisationNotificationContactsPost(RequestContext& ctx, AppServices& svc) {
  const notify::ContactCommand command = ReadContact(ctx, svc);
  const auto c =
      svc.notify->contacts.CreateForOrganisation(CallerOf(ctx), ctx.Param("orgno"), command);
  ctx.response.set("Location", "/v1/notification-contacts/" + c.id);
  WriteVersioned(ctx, 201, c, ContactJson);
}

void OrganisationNotificationContactsList(RequestContext& ctx, AppServices& svc) {
  const auto cs = svc.notify->contacts.ListForOrganisation(CallerOf(ctx), ctx.Param("orgno"));
  WriteJson(ctx, 200, ListJson(cs, ContactJson));
}

void ClientNotificationContactsPost(RequestContext& ctx, AppServices& svc) {
  const std::string& client_id = IdParam(ctx, "client_id", "no such client");
  const notify::ContactCommand command = ReadContact(ctx, svc);
  const auto c = svc.notify->contacts.CreateForClient(CallerOf(ctx), client_id, command);
  ctx.response.set("Location", "/v1/notification-contacts/" + c.id);
  WriteVersioned(ctx, 201, c, ContactJson);
}

void ClientNotificationContactsList(RequestContext& ctx, AppServices& svc) {
  const std::string& client_id = IdParam(ctx, "client_id", "no such client");
  const auto cs = svc.notify->contacts.ListForClient(CallerOf(ctx), client_id);
  WriteJson(ctx, 200, ListJson(cs, ContactJson));
}

void NotificationContactGet(RequestContext& ctx, AppServices& svc) {
  const std::string& id = IdParam(ctx, "contact_id", "no such notification contact");
  const auto c = svc.notify->contacts.Get(CallerOf(ctx), id);
  WriteVersioned(ctx, 200, c, ContactJson);
}

void NotificationContactPut(RequestContext& ctx, AppServices& svc) {
  const std::string& id = IdParam(ctx, "contact_id", "no such notification contact");
  const notify::ContactCommand command = ReadContact(ctx, svc);
  const int if_match = ReadIfMatch(ctx).value_or(-1);
  const auto c = svc.notify->contacts.Replace(CallerOf(ctx), id, command, if_match);
  WriteVersioned(ctx, 200, c, ContactJson);
}

void NotificationContactDelete(RequestContext& ctx, AppServices& svc) {
  const std::string& id = IdParam(ctx, "contact_id", "no such notification contact");
  svc.notify->contacts.Delete(CallerOf(ctx), id);
  ctx.body_consumed = true;
  WriteNoContent(ctx);
}

void MissingNotificationContactsGet(RequestContext& ctx, AppServices& svc) {
  const auto missing = svc.notify->contacts.Missing();
  Poco::JSON::Object out = ListJson(missing, [](const auto& o) {
    return JsonObject({{"orgno", o.orgno},
                       {"name", o.name},
                       {"clients", o.clients},
                       {"created_at", o.created_at}});
  });
  out.set("count", static_cast<int>(missing.size()));
  WriteJson(ctx, 200, out);
}

void WebhooksPost(RequestContext& ctx, AppServices& svc) {
  const notify::WebhookCommand command = ReadWebhook(ctx, svc, false);
  const notify::CreatedWebhook created = svc.notify->webhooks.Create(CallerOf(ctx), command);
  Poco::JSON::Object::Ptr out = WebhookJson(created.subscription);
  out->set("secret", created.secret);  // shown once; only its sealed form is stored
  ctx.response.set("Location", "/v1/webhooks/" + created.subscription.id);
  ctx.response.set("Cache-Control", "no-store");
  WriteJson(ctx, 201, *out);
}

void WebhooksList(RequestContext& ctx, AppServices& svc) {
  WriteJson(ctx, 200, ListJson(svc.notify->webhooks.List(CallerOf(ctx)), WebhookJson));
}

void WebhookGet(RequestContext& ctx, AppServices& svc) {
  const std::string& id = IdParam(ctx, "webhook_id", "no such webhook");
  const auto s = svc.notify->webhooks.Get(CallerOf(ctx), id);
  WriteVersioned(ctx, 200, s, WebhookJson);
}

void WebhookPatch(RequestContext& ctx, AppServices& svc) {
  const std::string& id = IdParam(ctx, "webhook_id", "no such webhook");
  const notify::WebhookCommand command = ReadWebhook(ctx, svc, true);
  const int if_match = ReadIfMatch(ctx).value_or(-1);
  const auto s = svc.notify->webhooks.Update(CallerOf(ctx), id, command, if_match);
  WriteVersioned(ctx, 200, s, WebhookJson);
}

void WebhookDelete(RequestContext& ctx, AppServices& svc) {
  const std::string& id = IdParam(ctx, "webhook_id", "no such webhook");
  svc.notify->webhooks.Delete(CallerOf(ctx), id);
  ctx.body_consumed = true;
  WriteNoContent(ctx);
}

void WebhookTestPost(RequestContext& ctx, AppServices& svc) {
  const std::string& id = IdParam(ctx, "webhook_id", "no such webhook");
  ctx.body_consumed = !HasBody(ctx);
  if (!ctx.body_consumed) ReadJsonObject(ctx, 2);  // the request takes no body
  Poco::JSON::Object out;
  out.set("event_id", svc.notify->webhooks.Test(CallerOf(ctx), id));
  WriteJson(ctx, 202, out);
}

void WebhookDeliveriesGet(RequestContext& ctx, AppServices& svc) {
  const std::string& id = IdParam(ctx, "webhook_id", "no such webhook");
  const PageParams page = ReadPageParams(ctx);
  WriteJson(ctx, 200,
            ListJson(svc.notify->webhooks.Deliveries(CallerOf(ctx), id, page.limit), AttemptJson));
}

void WebhookEventTypesGet(RequestContext& ctx, AppServices&) {
  Poco::JSON::Object out;
  out.set("items", JsonArray(domain::EventTypes()));
  WriteJson(ctx, 200, out);
}

}  // namespace onboard::http::handlers
