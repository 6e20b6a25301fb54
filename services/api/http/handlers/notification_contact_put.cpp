#include "clock.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "codecs.hpp"
#include "notify_common.hpp"

namespace onboard::http::handlers {

using namespace notify_common;

void NotificationContactPut(RequestContext& ctx, AppServices& svc) {
  const std::string& id = IdParam(ctx, "contact_id", "no such notification contact");
  const notify::ContactCommand command = ReadContact(ctx, svc);
  const int if_match = ParseIfMatch(ctx.request.get("If-Match", ""));
  const auto c = svc.notify->contacts.Replace(CallerOf(ctx), id, command, if_match);
  ctx.response.set("ETag", VersionEtag(c.version));
  WriteJson(ctx, 200, *ContactJson(c));
}

}  // namespace onboard::http::handlers
