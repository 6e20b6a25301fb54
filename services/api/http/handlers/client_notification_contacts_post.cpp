#include "clock.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "codecs.hpp"
#include "notify_common.hpp"

namespace onboard::http::handlers {

using namespace notify_common;

void ClientNotificationContactsPost(RequestContext& ctx, AppServices& svc) {
  const std::string& client_id = IdParam(ctx, "client_id", "no such client");
  const notify::ContactCommand command = ReadContact(ctx, svc);
  const auto c = svc.notify->contacts.CreateForClient(CallerOf(ctx), client_id, command);
  ctx.response.set("Location", "/v1/notification-contacts/" + c.id);
  ctx.response.set("ETag", VersionEtag(c.version));
  WriteJson(ctx, 201, *ContactJson(c));
}

}  // namespace onboard::http::handlers
