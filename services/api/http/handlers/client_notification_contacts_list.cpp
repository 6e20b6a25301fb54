#include "clock.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "codecs.hpp"
#include "notify_common.hpp"

namespace onboard::http::handlers {

using namespace notify_common;

void ClientNotificationContactsList(RequestContext& ctx, AppServices& svc) {
  const std::string& client_id = IdParam(ctx, "client_id", "no such client");
  const auto cs = svc.notify->contacts.ListForClient(CallerOf(ctx), client_id);
  Poco::JSON::Object out;
  out.set("items", ContactsJson(cs));
  WriteJson(ctx, 200, out);
}

}  // namespace onboard::http::handlers
