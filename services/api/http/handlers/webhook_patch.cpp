#include "clock.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "codecs.hpp"
#include "notify_common.hpp"

namespace onboard::http::handlers {

using namespace notify_common;

void WebhookPatch(RequestContext& ctx, AppServices& svc) {
  const std::string& id = IdParam(ctx, "webhook_id", "no such webhook");
  const notify::WebhookCommand command = ReadWebhook(ctx, svc, true);
  const int if_match = ParseIfMatch(ctx.request.get("If-Match", ""));
  const auto s = svc.notify->webhooks.Update(CallerOf(ctx), id, command, if_match);
  ctx.response.set("ETag", VersionEtag(s.version));
  WriteJson(ctx, 200, *WebhookJson(s));
}

}  // namespace onboard::http::handlers
