#include "clock.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "codecs.hpp"
#include "notify_common.hpp"

namespace onboard::http::handlers {

using namespace notify_common;

void NotificationContactDelete(RequestContext& ctx, AppServices& svc) {
  const std::string& id = IdParam(ctx, "contact_id", "no such notification contact");
  svc.notify->contacts.Delete(CallerOf(ctx), id);
  ctx.body_consumed = true;
  ctx.status = 204;
  ctx.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
  ctx.response.setContentLength(0);
  ctx.response.send();
}

}  // namespace onboard::http::handlers
