#include <Poco/JSON/Object.h>

#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

void HealthzGet(RequestContext& ctx, AppServices&) {
  Poco::JSON::Object body;
  body.set("status", "ok");
  WriteJson(ctx, 200, body);
}

}  // namespace onboard::http::handlers
