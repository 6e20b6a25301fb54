#include "clock.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "codecs.hpp"
#include "notify_common.hpp"

namespace onboard::http::handlers {

using namespace notify_common;

void MissingNotificationContactsGet(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Array::Ptr items = new Poco::JSON::Array();
  for (const auto& o : svc.notify->contacts.Missing()) {
    Poco::JSON::Object::Ptr row = new Poco::JSON::Object();
    row->set("orgno", o.orgno);
    row->set("name", o.name);
    row->set("clients", o.clients);
    row->set("created_at", o.created_at);
    items->add(row);
  }
  Poco::JSON::Object out;
  out.set("items", items);
  out.set("count", static_cast<int>(items->size()));
  WriteJson(ctx, 200, out);
}

}  // namespace onboard::http::handlers
