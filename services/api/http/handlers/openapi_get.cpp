#include "handlers.hpp"
#include "json_io.hpp"
#include "openapi_document.hpp"

namespace onboard::http::handlers {

void OpenapiGet(RequestContext& ctx, AppServices&) {
  WriteBody(ctx, 200, "application/json", std::string(OpenapiDocument()));
}

}  // namespace onboard::http::handlers
