#include "clock.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "codecs.hpp"
#include "notify_common.hpp"

namespace onboard::http::handlers {

using namespace notify_common;

void OrganisationNotificationContactsList(RequestContext& ctx, AppServices& svc) {
  const auto cs = svc.notify->contacts.ListForOrganisation(CallerOf(ctx), ctx.Param("orgno"));
  Poco::JSON::Object out;
  out.set("items", ContactsJson(cs));
  WriteJson(ctx, 200, out);
}

}  // namespace onboard::http::handlers
