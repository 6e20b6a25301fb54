#include "notify_common.hpp"

#include "codecs.hpp"
#include "error.hpp"
#include "json_io.hpp"

namespace onboard::http::notify_common {

namespace {

bool LooksLikeUuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-'
             : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
      return false;
  }
  return true;
}

std::optional<std::vector<std::string>> Strings(JsonFields& f, const std::string& key,
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

Poco::JSON::Array::Ptr Array(const std::vector<std::string>& items) {
  Poco::JSON::Array::Ptr a = new Poco::JSON::Array();
  for (const auto& i : items) a->add(i);
  return a;
}

Poco::Dynamic::Var NullIfEmpty(const std::string& s) {
  return s.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(s);
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
  if (!LooksLikeUuid(id)) throw AppError(ErrorCode::kNotFound, not_found);
  return id;
}

notify::ContactCommand ReadContact(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
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
  c.kinds = Strings(f, "kinds", 3);
  f.Finish("the notification contact is invalid");
  return c;
}

notify::WebhookCommand ReadWebhook(RequestContext& ctx, AppServices& svc, bool patch) {
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes),
                     patch ? "application/merge-patch+json" : nullptr);
  JsonFields f(*body);
  notify::WebhookCommand c;
  c.url = f.String("url", !patch, 2000);
  c.events = Strings(f, "events", 100);
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
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object();
  o->set("id", c.id);
  o->set("organisation", c.organisation);
  o->set("client_id", NullIfEmpty(c.client_id));
  o->set("email", c.email);
  o->set("mobile", NullIfEmpty(c.mobile));
  o->set("language", c.language);
  o->set("kinds", Array(c.kinds));
  o->set("version", c.version);
  o->set("created_by", c.created_by);
  o->set("created_at", c.created_at);
  o->set("updated_at", c.updated_at);
  return o;
}

Poco::JSON::Array::Ptr ContactsJson(const std::vector<domain::NotificationContact>& cs) {
  Poco::JSON::Array::Ptr a = new Poco::JSON::Array();
  for (const auto& c : cs) a->add(ContactJson(c));
  return a;
}

Poco::JSON::Object::Ptr WebhookJson(const domain::WebhookSubscription& s) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object();
  o->set("id", s.id);
  o->set("organisation", NullIfEmpty(s.organisation));
  o->set("url", s.url);
  o->set("events", Array(s.events));
  o->set("description", s.description);
  o->set("active", s.state == "active");
  o->set("state", s.state);
  o->set("disabled_reason", NullIfEmpty(s.disabled_reason));
  o->set("disabled_at", NullIfEmpty(s.disabled_at));
  o->set("failing_since", NullIfEmpty(s.failing_since));
  o->set("version", s.version);
  o->set("created_by", s.created_by);
  o->set("created_at", s.created_at);
  o->set("updated_at", s.updated_at);
  return o;
}

Poco::JSON::Object::Ptr AttemptJson(const domain::WebhookAttempt& a) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object();
  o->set("delivery_id", a.outbox_id);
  o->set("event_id", a.event_id);
  o->set("event_type", a.event_type);
  o->set("attempt", a.attempt);
  o->set("status", a.status ? Poco::Dynamic::Var(*a.status) : Poco::Dynamic::Var());
  o->set("latency_ms", a.latency_ms);
  o->set("error", NullIfEmpty(a.error));
  o->set("attempted_at", a.attempted_at);
  o->set("delivery_state", a.delivery_state);
  return o;
}

}  // namespace onboard::http::notify_common
