#include <Poco/JSON/Array.h>

#include "client_common.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "self_service_common.hpp"

namespace onboard::http::handlers {

// GET /clients/{client_id}/onbehalfof: the client's entries, a JSON array.
void OnbehalfofList(RequestContext& ctx, AppServices& svc) {
  const domain::Client client = client_common::LoadVisible(ctx, svc);
  Poco::JSON::Array out;
  for (const auto& r : domain::ParseStoredMetadata(client.metadata_json).onbehalfof)
    out.add(self_service::OnbehalfofJson(r));
  WriteJson(ctx, 200, out);
}

}  // namespace onboard::http::handlers
