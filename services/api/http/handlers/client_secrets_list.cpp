#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "client_common.hpp"
#include "delivery.hpp"
#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

// Metadata of every secret of the client, newest first; never a hash or a secret.
void ClientSecretsList(RequestContext& ctx, AppServices& svc) {
  const domain::Client client = client_common::LoadVisible(ctx, svc);
  Poco::JSON::Array items;
  auto opt = [](Poco::JSON::Object& o, const char* k, const std::string& v) {
    if (v.empty())
      o.set(k, Poco::Dynamic::Var());
    else
      o.set(k, v);
  };
  for (const auto& s : svc.secrets.ListSecrets(client.client_id)) {
    Poco::JSON::Object o;
    o.set("id", s.secret_id);
    o.set("prefix", s.prefix);
    o.set("state", domain::SecretListState(s));
    o.set("created_at", s.created_at);
    o.set("expires_at", s.expires_at);
    opt(o, "last_used_at", s.last_used_at);
    opt(o, "superseded_at", s.superseded_at);
    opt(o, "revoked_at", s.revoked_at);
    opt(o, "delivery_id", s.delivery_id);
    items.add(o);
  }
  Poco::JSON::Object out;
  out.set("client_id", client.client_id);
  out.set("items", items);
  WriteJson(ctx, 200, out);
}

}  // namespace onboard::http::handlers
