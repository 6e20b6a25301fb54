#include "registration_common.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace onboard::http::handlers::registration {

std::string ClientUri(const RequestContext& ctx, AppServices& svc, const std::string& client_id) {
  std::string base = svc.config.http.public_base_url;
  if (base.empty()) {
    const std::string host = ctx.request.getHost();
    base =
        "http://" +
        (host.empty() ? svc.config.http.host + ":" + std::to_string(svc.config.http.port) : host);
  }
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/register/" + client_id;
}

Poco::JSON::Object::Ptr ClientInformation(const domain::Client& client, const RequestContext& ctx,
                                          AppServices& svc) {
  Poco::JSON::Parser parser;
  Poco::JSON::Object::Ptr meta =
      parser.parse(client.metadata_json).extract<Poco::JSON::Object::Ptr>();
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(*meta);
  if (Poco::JSON::Array::Ptr scopes = meta->getArray("scopes")) {
    std::string scope;
    for (std::size_t i = 0; i < scopes->size(); ++i) {
      scope += (i == 0 ? "" : " ") + scopes->getElement<std::string>(static_cast<unsigned>(i));
    }
    out->remove("scopes");
    out->set("scope", scope);
  }
  Poco::JSON::Array::Ptr response_types = new Poco::JSON::Array();
  if (Poco::JSON::Array::Ptr grants = meta->getArray("grant_types")) {
    for (std::size_t i = 0; i < grants->size(); ++i) {
      if (grants->getElement<std::string>(static_cast<unsigned>(i)) == "authorization_code")
        response_types->add("code");
    }
  }
  out->set("response_types", response_types);
  // RFC 7591 jwks is a JWK Set; a client without keys has none.
  out->remove("jwks");
  if (Poco::JSON::Array::Ptr keys = meta->getArray("jwks"); keys && keys->size() > 0) {
    Poco::JSON::Object::Ptr set = new Poco::JSON::Object();
    set->set("keys", keys);
    out->set("jwks", set);
  }
  out->set("client_id", client.client_id);
  out->set("registration_client_uri", ClientUri(ctx, svc, client.client_id));
  return out;
}

usecases::RegistrationAccess ReadAccess(const RequestContext& ctx) {
  const std::string header = ctx.request.get("Authorization", "");
  const bool bearer = header.size() > 7 && (header.compare(0, 7, "Bearer ") == 0 ||
                                            header.compare(0, 7, "bearer ") == 0);
  return {.client_id = ctx.Param("client_id"),
          .token = bearer ? header.substr(7) : std::string(),
          .request_id = ctx.request_id,
          .source_ip = ctx.source_ip};
}

}  // namespace onboard::http::handlers::registration
