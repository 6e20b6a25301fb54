#include "self_service_common.hpp"

#include "client_common.hpp"
#include "error.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers::self_service {

Poco::JSON::Object::Ptr OnbehalfofJson(const domain::OnBehalfOf& r) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("onbehalfof", r.onbehalfof);
  o->set("display_name", r.display_name);
  o->set("orgno", r.orgno);
  if (r.url) o->set("url", *r.url);
  return o;
}

domain::OnBehalfOf FindOnbehalfof(const domain::Client& client, const std::string& value) {
  for (const auto& r : client.metadata.onbehalfof) {
    if (r.onbehalfof == value) return r;
  }
  throw AppError(ErrorCode::kNotFound, "the client has no onbehalfof entry " + value, "", {},
                 "not_found");
}

domain::OnBehalfOf ReadOnbehalfof(RequestContext& ctx, AppServices& svc, const std::string& value) {
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
  JsonFields f(*body);
  domain::OnBehalfOf r;
  const std::string named = f.String("onbehalfof", value.empty(), 100).value_or("");
  r.display_name = f.String("display_name", true, 200).value_or("");
  r.orgno = f.String("orgno", true, 9).value_or("");
  r.url = f.String("url", false, 500);
  if (!value.empty() && !named.empty() && named != value)
    f.AddError("onbehalfof", "immutable", "onbehalfof must be the value of the URL");
  f.Finish("the onbehalfof entry is invalid");
  r.onbehalfof = value.empty() ? named : value;
  return r;
}

domain::Client SaveOnbehalfof(RequestContext& ctx, AppServices& svc, const domain::Client& current,
                              const std::function<void(std::vector<domain::OnBehalfOf>&)>& edit) {
  return svc.use_cases.clients.EditOnbehalfof(ctx.UseCaseCaller(), current, edit);
}

}  // namespace onboard::http::handlers::self_service
