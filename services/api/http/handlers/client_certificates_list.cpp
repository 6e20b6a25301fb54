#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "client_common.hpp"
#include "client_keys_common.hpp"
#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

// GET /v1/clients/{client_id}/certificates: the bound certificates, oldest first.
void ClientCertificatesList(RequestContext& ctx, AppServices& svc) {
  const domain::Client client = client_common::LoadVisible(ctx, svc);
  Poco::JSON::Array items;
  for (const auto& key : svc.keys.List(client.client_id)) {
    if (key.kind == "certificate") items.add(client_keys::KeyJson(key));
  }
  Poco::JSON::Object body;
  body.set("certificates", items);
  WriteJson(ctx, 200, body);
}

}  // namespace onboard::http::handlers
