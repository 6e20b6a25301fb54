#include "clock.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "codecs.hpp"
#include "notify_common.hpp"

namespace onboard::http::handlers {

using namespace notify_common;

void WebhookGet(RequestContext& ctx, AppServices& svc) {
  const std::string& id = IdParam(ctx, "webhook_id", "no such webhook");
  const auto s = svc.notify->webhooks.Get(CallerOf(ctx), id);
  ctx.response.set("ETag", VersionEtag(s.version));
  WriteJson(ctx, 200, *WebhookJson(s));
}

}  // namespace onboard::http::handlers
