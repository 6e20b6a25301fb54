#pragma once

// Shared by the notification-contact and webhook handlers (issue #18): the caller of the
// notify use cases, body parsing into commands, and the JSON shapes.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "app_services.hpp"
#include "notify_usecases.hpp"
#include "request_context.hpp"

namespace onboard::http::notify_common {

notify::Caller CallerOf(const RequestContext& ctx);
/// The path parameter `name` when it is a UUID; otherwise kNotFound with `not_found`.
const std::string& IdParam(const RequestContext& ctx, const std::string& name,
                           const std::string& not_found);

notify::ContactCommand ReadContact(RequestContext& ctx, AppServices& svc);
notify::WebhookCommand ReadWebhook(RequestContext& ctx, AppServices& svc, bool patch);

Poco::JSON::Object::Ptr ContactJson(const domain::NotificationContact& c);
Poco::JSON::Array::Ptr ContactsJson(const std::vector<domain::NotificationContact>& cs);
Poco::JSON::Object::Ptr WebhookJson(const domain::WebhookSubscription& s);
Poco::JSON::Object::Ptr AttemptJson(const domain::WebhookAttempt& a);

}  // namespace onboard::http::notify_common
