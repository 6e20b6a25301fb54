#include "clock.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "codecs.hpp"
#include "notify_common.hpp"

namespace onboard::http::handlers {

using namespace notify_common;

void NotificationContactGet(RequestContext& ctx, AppServices& svc) {
  const std::string& id = IdParam(ctx, "contact_id", "no such notification contact");
  const auto c = svc.notify->contacts.Get(CallerOf(ctx), id);
  ctx.response.set("ETag", VersionEtag(c.version));
  WriteJson(ctx, 200, *ContactJson(c));
}

}  // namespace onboard::http::handlers
