#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "delivery.hpp"
#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

// Metadata of every secret of the client, newest first; never a hash or a secret.
void ClientSecretsList(RequestContext& ctx, AppServices& svc) {
  const usecases::SecretList list =
      svc.use_cases.secrets.List(ctx.UseCaseCaller(), ctx.Param("client_id"));
  Poco::JSON::Array items;
  auto opt = [](Poco::JSON::Object& o, const char* k, const std::string& v) {
    if (v.empty())
      o.set(k, Poco::Dynamic::Var());
    else
      o.set(k, v);
  };
  for (const auto& s : list.items) {
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
  out.set("client_id", list.client_id);
  out.set("items", items);
  WriteJson(ctx, 200, out);
}

}  // namespace onboard::http::handlers
