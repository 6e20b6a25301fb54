#include "clock.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "codecs.hpp"
#include "notify_common.hpp"

namespace onboard::http::handlers {

using namespace notify_common;

void WebhookTestPost(RequestContext& ctx, AppServices& svc) {
  const std::string& id = IdParam(ctx, "webhook_id", "no such webhook");
  ctx.body_consumed = !(ctx.request.hasContentLength() && ctx.request.getContentLength64() > 0);
  if (!ctx.body_consumed) ReadJsonObject(ctx, 2);  // the request takes no body
  Poco::JSON::Object out;
  out.set("event_id", svc.notify->webhooks.Test(CallerOf(ctx), id));
  WriteJson(ctx, 202, out);
}

}  // namespace onboard::http::handlers
