#include "clock.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "codecs.hpp"
#include "notify_common.hpp"

namespace onboard::http::handlers {

using namespace notify_common;

void WebhookEventTypesGet(RequestContext& ctx, AppServices&) {
  Poco::JSON::Array::Ptr items = new Poco::JSON::Array();
  for (const auto& t : domain::EventTypes()) items->add(t);
  Poco::JSON::Object out;
  out.set("items", items);
  WriteJson(ctx, 200, out);
}

}  // namespace onboard::http::handlers
