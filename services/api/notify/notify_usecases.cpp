#include "notify_usecases.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <memory>
#include <sstream>

#include "crypto.hpp"
#include "error.hpp"
#include "resolve.hpp"

namespace onboard::notify {

namespace {

std::string Json(const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

Poco::JSON::Array::Ptr Array(const std::vector<std::string>& items) {
  Poco::JSON::Array::Ptr a = new Poco::JSON::Array();
  for (const auto& i : items) a->add(i);
  return a;
}

std::string ContactDetail(const domain::NotificationContact& c) {
  Poco::JSON::Object d;
  d.set("contact_id", c.id);
  if (!c.client_id.empty()) d.set("client_id", c.client_id);
  d.set("email", c.email);
  d.set("has_mobile", !c.mobile.empty());
  d.set("language", c.language);
  d.set("kinds", Array(c.kinds));
  return Json(d);
}

void Apply(const ContactCommand& cmd, domain::NotificationContact& c) {
  if (cmd.email) c.email = *cmd.email;
  if (cmd.mobile) c.mobile = *cmd.mobile;
  if (cmd.language) c.language = *cmd.language;
  if (cmd.kinds) c.kinds = *cmd.kinds;
}

void Validate(const domain::NotificationContact& c) {
  auto errors = domain::ValidateContact(c);
  if (!errors.empty())
    throw AppError(ErrorCode::kValidation, "the notification contact is invalid", "",
                   std::move(errors));
}

// If-Match: `if_match` (-1 when the request sent none) must be the `version` read.
void RequireVersion(int if_match, int version, const char* what) {
  if (if_match >= 0 && if_match != version)
    throw AppError(ErrorCode::kPreconditionFailed,
                   std::string("the ") + what + " was changed since you read it (version " +
                       std::to_string(version) + " now)",
                   "", {}, "version_mismatch");
}

// What `find()` finds; nothing when the store refuses the id as malformed (kValidation): to
// the caller, "no such ..." either way.
template <typename Find>
auto FindById(Find find) -> decltype(find()) {
  try {
    return find();
  } catch (const AppError& e) {
    if (e.code() != ErrorCode::kValidation) throw;
  }
  return std::nullopt;
}

const char kNoContact[] = "no such notification contact";
const char kNoWebhook[] = "no such webhook";

}  // namespace

domain::AuditEvent Caller::Audit(std::string action, std::string target_type, std::string target_id,
                                 std::string org) const {
  domain::AuditEvent e;
  e.actor = actor;
  e.action = std::move(action);
  e.target_type = std::move(target_type);
  e.target_id = std::move(target_id);
  e.organisation = std::move(org);
  return e;
}

void Caller::RequireVisible(const std::string& orgno, const std::string& not_found) const {
  if (portal && organisation != orgno)
    throw AppError(ErrorCode::kNotFound, not_found,
                   "portal org " + organisation + " asked for " + orgno);
}

// ---- contacts --------------------------------------------------------------------------

domain::Client ContactUseCases::VisibleClient(const Caller& caller, const std::string& client_id) {
  std::optional<domain::Client> client;
  try {
    client = clients_.Find(client_id);
  } catch (const AppError& e) {
    if (e.code() != ErrorCode::kValidation) throw;  // a malformed id is an unknown client
  }
  if (!client) throw AppError(ErrorCode::kNotFound, "no such client");
  caller.RequireVisible(client->organisation, "no such client");
  return *client;
}

domain::NotificationContact ContactUseCases::Create(const Caller& caller,
                                                    domain::NotificationContact c,
                                                    const ContactCommand& command) {
  Apply(command, c);
  if (!command.kinds) c.kinds = {"expiry", "critical", "webhook"};
  Validate(c);
  c.id = crypto::NewUuid();
  c.created_by = caller.actor.name;
  domain::AuditEvent audit =
      caller.Audit("notification_contact.create", "notification_contact", c.id, c.organisation);
  audit.detail_json = ContactDetail(c);
  try {
    return contacts_.Create(c, audit);
  } catch (const AppError& e) {
    if (e.code() == ErrorCode::kConflict)
      throw AppError(ErrorCode::kConflict, c.email + " is already a notification contact here",
                     e.internal(), {}, "contact_exists");
    throw;
  }
}

domain::NotificationContact ContactUseCases::CreateForOrganisation(const Caller& caller,
                                                                   const std::string& orgno,
                                                                   const ContactCommand& command) {
  caller.RequireVisible(orgno, "no such organisation");
  if (!orgs_.Find(orgno)) throw AppError(ErrorCode::kNotFound, "no such organisation");
  domain::NotificationContact c;
  c.organisation = orgno;
  return Create(caller, std::move(c), command);
}

domain::NotificationContact ContactUseCases::CreateForClient(const Caller& caller,
                                                             const std::string& client_id,
                                                             const ContactCommand& command) {
  const domain::Client client = VisibleClient(caller, client_id);
  domain::NotificationContact c;
  c.organisation = client.organisation;
  c.client_id = client.client_id;
  return Create(caller, std::move(c), command);
}

std::vector<domain::NotificationContact> ContactUseCases::ListForOrganisation(
    const Caller& caller, const std::string& orgno) {
  caller.RequireVisible(orgno, "no such organisation");
  if (!orgs_.Find(orgno)) throw AppError(ErrorCode::kNotFound, "no such organisation");
  return contacts_.List(orgno, "");
}

std::vector<domain::NotificationContact> ContactUseCases::ListForClient(
    const Caller& caller, const std::string& client_id) {
  const domain::Client client = VisibleClient(caller, client_id);
  return contacts_.List(client.organisation, client.client_id);
}

domain::NotificationContact ContactUseCases::Get(const Caller& caller, const std::string& id) {
  const auto c = FindById([&] { return contacts_.Find(id); });
  if (!c) throw AppError(ErrorCode::kNotFound, kNoContact);
  caller.RequireVisible(c->organisation, kNoContact);
  return *c;
}

domain::NotificationContact ContactUseCases::Replace(const Caller& caller, const std::string& id,
                                                     const ContactCommand& command, int if_match) {
  domain::NotificationContact current = Get(caller, id);
  RequireVersion(if_match, current.version, "notification contact");
  domain::NotificationContact next = current;
  next.mobile.clear();
  Apply(command, next);
  if (!command.kinds) next.kinds = {"expiry", "critical", "webhook"};
  if (!command.language) next.language = "nb";
  Validate(next);
  domain::AuditEvent audit =
      caller.Audit("notification_contact.update", "notification_contact", id, next.organisation);
  audit.detail_json = ContactDetail(next);
  return contacts_.Update(next, current.version, audit);
}

void ContactUseCases::Delete(const Caller& caller, const std::string& id) {
  const domain::NotificationContact current = Get(caller, id);
  domain::AuditEvent audit =
      caller.Audit("notification_contact.delete", "notification_contact", id, current.organisation);
  audit.detail_json = ContactDetail(current);
  contacts_.Delete(id, audit);
}

std::vector<domain::OrganisationWithoutContact> ContactUseCases::Missing() {
  return contacts_.OrganisationsWithoutContacts();
}

std::vector<domain::NotificationContact> ContactUseCases::OfClient(const std::string& organisation,
                                                                   const std::string& client_id) {
  std::vector<domain::NotificationContact> out;
  for (auto& c : contacts_.ListAll(organisation))
    if (c.client_id.empty() || c.client_id == client_id) out.push_back(std::move(c));
  return out;
}

// ---- webhooks --------------------------------------------------------------------------

std::vector<std::string> SystemResolver::Resolve(const std::string& host) const {
  return net::ResolveHost(host);
}

std::string WebhookSecretAad(const std::string& subscription_id) {
  return "onboard-webhook|" + subscription_id;
}

void WebhookUseCases::CheckTarget(const std::string& url, std::vector<FieldError>& errors) const {
  const domain::TargetCheck check =
      domain::CheckWebhookUrl(url, policy_.allow_http, policy_.allow_private);
  if (!check.ok()) {
    errors.push_back({"url", check.code, check.message});
    return;
  }
  if (policy_.allow_private) return;
  // A name that resolves to a private address is refused now; the courier checks again at
  // every delivery (the answer may change) and connects only to the address it checked.
  const auto target = domain::ParseWebhookUrl(url);
  for (const auto& address : resolver_.Resolve(target->host)) {
    if (domain::IsNonPublicAddress(address)) {
      errors.push_back({"url", "webhook_target_not_allowed",
                        "url must not point at a loopback, link-local or private address"});
      return;
    }
  }
}

void WebhookUseCases::CheckEvents(const std::vector<std::string>& events,
                                  std::vector<FieldError>& errors) const {
  if (events.empty())
    errors.push_back({"events", "required", "events must name at least one type"});
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i] != "*" && !domain::IsKnownEventType(events[i]))
      errors.push_back({"events/" + std::to_string(i), "unknown_event_type",
                        "'" + events[i] + "' is not an event type (GET /v1/webhooks/event-types)"});
  }
}

CreatedWebhook WebhookUseCases::Create(const Caller& caller, const WebhookCommand& command) {
  std::vector<FieldError> errors;
  if (!command.url) errors.push_back({"url", "required", "url is required"});
  if (!command.events) errors.push_back({"events", "required", "events is required"});
  if (command.active) errors.push_back({"active", "unknown_field", "active is set by PATCH"});
  if (command.url) CheckTarget(*command.url, errors);
  if (command.events) CheckEvents(*command.events, errors);
  if (!errors.empty())
    throw AppError(ErrorCode::kValidation, "the webhook is invalid", "", std::move(errors));

  domain::WebhookSubscription s;
  s.id = crypto::NewUuid();
  s.url = *command.url;
  s.events = *command.events;
  s.description = command.description.value_or("");
  s.created_by = caller.actor.name;
  if (caller.portal) {
    if (command.organisation && *command.organisation != caller.organisation)
      throw AppError(ErrorCode::kForbidden,
                     "a portal may only subscribe to the organisation it acts for");
    s.organisation = caller.organisation;
  } else {
    s.organisation = command.organisation.value_or("");
  }
  if (!s.organisation.empty() && !orgs_.Find(s.organisation))
    throw AppError(ErrorCode::kValidation, "the webhook is invalid", "",
                   {{"organisation", "unknown_organisation", "no such organisation"}});

  CreatedWebhook out;
  out.secret = domain::NewWebhookSecret();
  const crypto::Sealed sealed = keys_.Seal(out.secret, WebhookSecretAad(s.id));
  domain::AuditEvent audit = caller.Audit("webhook.create", "webhook", s.id, s.organisation);
  Poco::JSON::Object d;
  d.set("url", s.url);
  d.set("events", Array(s.events));
  audit.detail_json = Json(d);
  out.subscription = store_.Create(s, sealed.kek_id, sealed.bytes, audit);
  return out;
}

std::vector<domain::WebhookSubscription> WebhookUseCases::List(const Caller& caller) {
  return store_.List(caller.portal ? caller.organisation : "");
}

domain::WebhookSubscription WebhookUseCases::Get(const Caller& caller, const std::string& id) {
  const auto s = FindById([&] { return store_.Find(id); });
  if (!s) throw AppError(ErrorCode::kNotFound, kNoWebhook);
  // A portal sees its organisation's subscriptions, never the operators' global ones.
  if (caller.portal && s->organisation != caller.organisation)
    throw AppError(ErrorCode::kNotFound, kNoWebhook);
  return *s;
}

domain::WebhookSubscription WebhookUseCases::Update(const Caller& caller, const std::string& id,
                                                    const WebhookCommand& command, int if_match) {
  domain::WebhookSubscription current = Get(caller, id);
  RequireVersion(if_match, current.version, "webhook");
  std::vector<FieldError> errors;
  if (command.organisation)
    errors.push_back({"organisation", "immutable", "organisation cannot be changed"});
  domain::WebhookSubscription next = current;
  if (command.url) {
    CheckTarget(*command.url, errors);
    next.url = *command.url;
  }
  if (command.events) {
    CheckEvents(*command.events, errors);
    next.events = *command.events;
  }
  if (command.description) next.description = *command.description;
  if (command.active) next.state = *command.active ? "active" : "disabled";
  if (!errors.empty())
    throw AppError(ErrorCode::kValidation, "the webhook is invalid", "", std::move(errors));
  domain::AuditEvent audit = caller.Audit("webhook.update", "webhook", id, current.organisation);
  Poco::JSON::Object d;
  d.set("url", next.url);
  d.set("events", Array(next.events));
  d.set("state", next.state);
  audit.detail_json = Json(d);
  return store_.Update(next, current.version, audit);
}

void WebhookUseCases::Delete(const Caller& caller, const std::string& id) {
  const domain::WebhookSubscription current = Get(caller, id);
  store_.Delete(id, caller.Audit("webhook.delete", "webhook", id, current.organisation));
}

std::string WebhookUseCases::Test(const Caller& caller, const std::string& id) {
  const domain::WebhookSubscription current = Get(caller, id);
  domain::NotificationEvent e;
  e.id = crypto::NewUuid();
  e.type = "webhook.test";
  e.occurred_at_us =
      std::chrono::duration_cast<std::chrono::microseconds>(clock_.Now().time_since_epoch())
          .count();
  e.organisation = current.organisation;
  e.data = new Poco::JSON::Object();
  e.data->set("subscription_id", id);
  e.data->set("requested_by", caller.actor.name);
  domain::AuditEvent audit = caller.Audit("webhook.test", "webhook", id, current.organisation);
  Poco::JSON::Object d;
  d.set("event_id", e.id);
  audit.detail_json = Json(d);
  return store_.QueueTest(id, e, policy_.retry_hours * 60, audit);
}

std::vector<domain::WebhookAttempt> WebhookUseCases::Deliveries(const Caller& caller,
                                                                const std::string& id, int limit) {
  Get(caller, id);
  return store_.Attempts(id, limit);
}

}  // namespace onboard::notify
