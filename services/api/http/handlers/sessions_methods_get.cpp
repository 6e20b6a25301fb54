#include <Poco/JSON/Array.h>

#include "handlers.hpp"
#include "json_io.hpp"
#include "oidc_common.hpp"

namespace onboard::http::handlers {

// What the console's sign-in page offers (session.sign_in_methods): the token sign-in,
// single sign-on with the configured provider, or both.
void SessionsMethodsGet(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Array methods;
  for (const std::string& m : svc.config.session.sign_in_methods) {
    Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
    item->set("method", m);
    if (m == "oidc") {
      item->set("provider_name", svc.config.oidc.provider_name);
      item->set("issuer", svc.config.oidc.issuer);
      item->set("start_url", "/v1/sessions/oidc/start");
    } else {
      item->set("sign_in_url", "/v1/sessions");
    }
    methods.add(item);
  }
  Poco::JSON::Object out;
  out.set("methods", methods);
  WriteJson(ctx, 200, out);
}

}  // namespace onboard::http::handlers
