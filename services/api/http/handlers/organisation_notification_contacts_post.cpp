#include "clock.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "codecs.hpp"
#include "notify_common.hpp"

namespace onboard::http::handlers {

using namespace notify_common;

void OrganisationNotificationContactsPost(RequestContext& ctx, AppServices& svc) {
  const notify::ContactCommand command = ReadContact(ctx, svc);
  const auto c =
      svc.notify->contacts.CreateForOrganisation(CallerOf(ctx), ctx.Param("orgno"), command);
  ctx.response.set("Location", "/v1/notification-contacts/" + c.id);
  ctx.response.set("ETag", VersionEtag(c.version));
  WriteJson(ctx, 201, *ContactJson(c));
}

}  // namespace onboard::http::handlers
