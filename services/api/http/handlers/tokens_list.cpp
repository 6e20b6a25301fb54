#include <Poco/JSON/Array.h>

#include "codecs.hpp"
#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

void TokensList(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Array items;
  for (const auto& t : svc.tokens.List()) items.add(TokenJson(t));
  Poco::JSON::Object body;
  body.set("items", items);
  WriteJson(ctx, 200, body);
}

}  // namespace onboard::http::handlers
