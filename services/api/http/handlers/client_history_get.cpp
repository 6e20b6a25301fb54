#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "client_common.hpp"
#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

void ClientHistoryGet(RequestContext& ctx, AppServices& svc) {
  const usecases::ClientHistory history =
      svc.use_cases.clients.History(ctx.UseCaseCaller(), ctx.Param("client_id"));
  Poco::JSON::Array items;
  Poco::JSON::Parser parser;
  for (const auto& change : history.changes) {
    Poco::JSON::Object entry;
    entry.set("version", change.version);
    entry.set("change", change.change);
    entry.set("changed_at", change.changed_at);
    entry.set("actor", change.actor);
    entry.set("role", change.role);
    if (!change.portal_user.empty()) entry.set("portal_user", change.portal_user);
    entry.set("request_id", change.request_id);
    entry.set("state", change.state);
    entry.set("diff", parser.parse(change.diff_json));
    parser.reset();
    items.add(entry);
  }
  Poco::JSON::Object body;
  body.set("client_id", history.client.client_id);
  body.set("items", items);
  WriteJson(ctx, 200, body);
}

}  // namespace onboard::http::handlers
