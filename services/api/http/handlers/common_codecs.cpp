#include "common_codecs.hpp"

#include "codecs.hpp"

namespace onboard::http::handlers {

Poco::JSON::Object::Ptr ReadBody(RequestContext& ctx, const AppServices& svc,
                                 const char* extra_type) {
  return ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes), extra_type);
}

Poco::JSON::Object::Ptr ReadOptionalBody(RequestContext& ctx, const AppServices& svc) {
  if (HasBody(ctx)) return ReadBody(ctx, svc);
  ctx.body_consumed = true;
  return new Poco::JSON::Object;
}

usecases::Patch<std::string> ReadStringPatch(JsonFields& fields, const std::string& key,
                                             std::size_t max_bytes) {
  if (!fields.Has(key)) return {};
  if (fields.IsNull(key)) {
    fields.Allow(key);
    return usecases::Patch<std::string>::Null();
  }
  auto value = fields.String(key, false, max_bytes);
  if (!value) return {};
  return usecases::Patch<std::string>::Of(std::move(*value));
}

usecases::Patch<std::vector<domain::Contact>> ReadContacts(JsonFields& fields) {
  using ContactsPatch = usecases::Patch<std::vector<domain::Contact>>;
  if (!fields.Has("contacts")) return {};
  if (fields.IsNull("contacts")) {
    fields.Allow("contacts");
    return ContactsPatch::Null();
  }
  Poco::JSON::Array::Ptr array = fields.Array("contacts", false);
  if (!array) return {};
  try {
    return ContactsPatch::Of(domain::ContactsFromJson(*array));
  } catch (const AppError& e) {
    fields.AddErrors(e.field_errors());
    return {};
  }
}

Poco::JSON::Object::Ptr JsonObject(std::initializer_list<JsonMember> members) {
  Poco::JSON::Object::Ptr object = new Poco::JSON::Object();
  for (const auto& [name, value] : members) object->set(name, value);
  return object;
}

std::optional<int> ReadIfMatch(const RequestContext& ctx) {
  const int version = ParseIfMatch(ctx.request.get("If-Match", ""));
  if (version < 0) return std::nullopt;
  return version;
}

}  // namespace onboard::http::handlers
