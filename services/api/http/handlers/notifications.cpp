// Notification contacts, the missing-contacts report and webhooks (issue #18); the rules
// are the notify use cases' (services/api/notify/).
#include "clock.hpp"
#include "codecs.hpp"
#include "common_codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "notify_common.hpp"
#include "notify_usecases.hpp"
#include "uuid.hpp"

namespace onboard::http::handlers {

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

notify::Caller NotifyCaller(const RequestContext& ctx) {
  const usecases::Caller caller = ctx.UseCaseCaller();
  notify::Caller c;
  c.actor = caller.Audit("", "", "", "").actor;
  c.portal = caller.IsPortal();
  if (c.portal) c.organisation = caller.organisation;
  return c;
}

// A notification resource's id in the path: its parameter, and the answer when there is
// no such resource (also for an id that is not a UUID).
struct NotifyPathId {
  const char* param;
  const char* not_found;
};
constexpr NotifyPathId kClientPathId{"client_id", "no such client"};
constexpr NotifyPathId kContactPathId{"contact_id", "no such notification contact"};
constexpr NotifyPathId kWebhookPathId{"webhook_id", "no such webhook"};

const std::string& NotifyId(const RequestContext& ctx, const NotifyPathId& id) {
  const std::string& value = ctx.Param(id.param);
  if (!IsUuid(value)) throw AppError(ErrorCode::kNotFound, id.not_found);
  return value;
}

notify::ContactCommand ReadContact(RequestContext& ctx, AppServices& svc) {
  const Poco::JSON::Object::Ptr body = ReadBody(ctx, svc);
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
      ReadBody(ctx, svc, patch ? "application/merge-patch+json" : nullptr);
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

// DELETE of a contact or a webhook: 204.
template <class UseCases>
void DeleteNotifyResource(RequestContext& ctx, UseCases& use_cases, const NotifyPathId& id) {
  const std::string& resource_id = NotifyId(ctx, id);  // 404 first
  use_cases.Delete(NotifyCaller(ctx), resource_id);
  ctx.body_consumed = true;
  WriteNoContent(ctx);
}

}  // namespace

void OrganisationNotificationContactsPost(RequestContext& ctx, AppServices& svc) {
  const notify::ContactCommand command = ReadContact(ctx, svc);
  const auto c =
      svc.notify->contacts.CreateForOrganisation(NotifyCaller(ctx), ctx.Param("orgno"), command);
  ctx.response.set("Location", "/v1/notification-contacts/" + c.id);
  WriteVersioned(ctx, 201, c, ContactJson);
}

void OrganisationNotificationContactsList(RequestContext& ctx, AppServices& svc) {
  const auto cs = svc.notify->contacts.ListForOrganisation(NotifyCaller(ctx), ctx.Param("orgno"));
  WriteJson(ctx, 200, ListJson(cs, ContactJson));
}

void ClientNotificationContactsPost(RequestContext& ctx, AppServices& svc) {
  const std::string& client_id = NotifyId(ctx, kClientPathId);
  const notify::ContactCommand command = ReadContact(ctx, svc);
  const auto c = svc.notify->contacts.CreateForClient(NotifyCaller(ctx), client_id, command);
  ctx.response.set("Location", "/v1/notification-contacts/" + c.id);
  WriteVersioned(ctx, 201, c, ContactJson);
}

void ClientNotificationContactsList(RequestContext& ctx, AppServices& svc) {
  const std::string& client_id = NotifyId(ctx, kClientPathId);
  const auto cs = svc.notify->contacts.ListForClient(NotifyCaller(ctx), client_id);
  WriteJson(ctx, 200, ListJson(cs, ContactJson));
}

void NotificationContactGet(RequestContext& ctx, AppServices& svc) {
  const std::string& id = NotifyId(ctx, kContactPathId);
  const auto c = svc.notify->contacts.Get(NotifyCaller(ctx), id);
  WriteVersioned(ctx, 200, c, ContactJson);
}

void NotificationContactPut(RequestContext& ctx, AppServices& svc) {
  const std::string& id = NotifyId(ctx, kContactPathId);
  const notify::ContactCommand command = ReadContact(ctx, svc);
  const int if_match = ReadIfMatch(ctx).value_or(-1);
  WriteVersioned(ctx, 200, svc.notify->contacts.Replace(NotifyCaller(ctx), id, command, if_match),
                 ContactJson);
}

void NotificationContactDelete(RequestContext& ctx, AppServices& svc) {
  DeleteNotifyResource(ctx, svc.notify->contacts, kContactPathId);
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
  const notify::CreatedWebhook created = svc.notify->webhooks.Create(NotifyCaller(ctx), command);
  Poco::JSON::Object::Ptr out = WebhookJson(created.subscription);
  out->set("secret", created.secret);  // shown once; only its sealed form is stored
  ctx.response.set("Location", "/v1/webhooks/" + created.subscription.id);
  ctx.response.set("Cache-Control", "no-store");
  WriteJson(ctx, 201, *out);
}

void WebhooksList(RequestContext& ctx, AppServices& svc) {
  WriteJson(ctx, 200, ListJson(svc.notify->webhooks.List(NotifyCaller(ctx)), WebhookJson));
}

void WebhookGet(RequestContext& ctx, AppServices& svc) {
  const std::string& id = NotifyId(ctx, kWebhookPathId);
  const auto s = svc.notify->webhooks.Get(NotifyCaller(ctx), id);
  WriteVersioned(ctx, 200, s, WebhookJson);
}

void WebhookPatch(RequestContext& ctx, AppServices& svc) {
  const std::string& id = NotifyId(ctx, kWebhookPathId);
  const notify::WebhookCommand command = ReadWebhook(ctx, svc, true);
  const int if_match = ReadIfMatch(ctx).value_or(-1);
  WriteVersioned(ctx, 200, svc.notify->webhooks.Update(NotifyCaller(ctx), id, command, if_match),
                 WebhookJson);
}

void WebhookDelete(RequestContext& ctx, AppServices& svc) {
  DeleteNotifyResource(ctx, svc.notify->webhooks, kWebhookPathId);
}

void WebhookTestPost(RequestContext& ctx, AppServices& svc) {
  const std::string& id = NotifyId(ctx, kWebhookPathId);
  ctx.body_consumed = !HasBody(ctx);
  if (!ctx.body_consumed) ReadJsonObject(ctx, 2);  // the request takes no body
  Poco::JSON::Object out;
  out.set("event_id", svc.notify->webhooks.Test(NotifyCaller(ctx), id));
  WriteJson(ctx, 202, out);
}

void WebhookDeliveriesGet(RequestContext& ctx, AppServices& svc) {
  const std::string& id = NotifyId(ctx, kWebhookPathId);
  const PageParams page = ReadPageParams(ctx);
  WriteJson(
      ctx, 200,
      ListJson(svc.notify->webhooks.Deliveries(NotifyCaller(ctx), id, page.limit), AttemptJson));
}

void WebhookEventTypesGet(RequestContext& ctx, AppServices&) {
  Poco::JSON::Object out;
  out.set("items", JsonArray(domain::EventTypes()));
  WriteJson(ctx, 200, out);
}

}  // namespace onboard::http::handlers

namespace onboard::http::notify_common {

Poco::JSON::Array::Ptr ContactsJson(const std::vector<domain::NotificationContact>& cs) {
  return handlers::JsonArray(cs, handlers::ContactJson);
}

}  // namespace onboard::http::notify_common
