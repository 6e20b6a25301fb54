#include "clock.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "codecs.hpp"
#include "notify_common.hpp"

namespace onboard::http::handlers {

using namespace notify_common;

void WebhookDeliveriesGet(RequestContext& ctx, AppServices& svc) {
  const std::string& id = IdParam(ctx, "webhook_id", "no such webhook");
  const PageParams page = ReadPageParams(ctx);
  Poco::JSON::Array::Ptr items = new Poco::JSON::Array();
  for (const auto& a : svc.notify->webhooks.Deliveries(CallerOf(ctx), id, page.limit))
    items->add(AttemptJson(a));
  Poco::JSON::Object out;
  out.set("items", items);
  WriteJson(ctx, 200, out);
}

}  // namespace onboard::http::handlers
