#include "clock.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "codecs.hpp"
#include "notify_common.hpp"

namespace onboard::http::handlers {

using namespace notify_common;

void WebhooksPost(RequestContext& ctx, AppServices& svc) {
  const notify::WebhookCommand command = ReadWebhook(ctx, svc, false);
  const notify::CreatedWebhook created = svc.notify->webhooks.Create(CallerOf(ctx), command);
  Poco::JSON::Object::Ptr out = WebhookJson(created.subscription);
  out->set("secret", created.secret);  // shown once; only its sealed form is stored
  ctx.response.set("Location", "/v1/webhooks/" + created.subscription.id);
  ctx.response.set("Cache-Control", "no-store");
  WriteJson(ctx, 201, *out);
}

}  // namespace onboard::http::handlers
