// The provider runtime's routes (role provider): GET /v1/provider/clients/{client_id} and
// POST /v1/provider/authenticate. Rules in usecases/provider_runtime.cpp.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>

#include "error.hpp"
#include "error_writer.hpp"
#include "flat_json.hpp"
#include "json_body.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "provider_runtime.hpp"

namespace onboard::http::handlers {

namespace {

constexpr std::size_t kMaxAuthorization = 4096, kMaxClientId = 200, kMaxSecret = 512,
                      kMaxAssertionType = 200, kMaxAssertion = 16384;
const std::vector<std::string_view> kKnown = {"authorization",    "client_id",
                                              "client_secret",    "client_assertion_type",
                                              "client_assertion", "audience"};

// `value` unless it is longer than `max` (then a too_long problem and "").
std::string Limited(const char* name, std::string value, std::size_t max,
                    std::vector<FieldError>& errors) {
  if (value.size() <= max) return value;
  errors.push_back({name, "too_long", "is too long"});
  return {};
}

std::string ProviderText(const Poco::JSON::Object& body, const char* name, std::size_t max,
                         std::vector<FieldError>& errors) {
  if (!body.has(name) || body.isNull(name)) return {};
  const Poco::Dynamic::Var v = body.get(name);
  if (!v.isString()) {
    errors.push_back({name, "invalid_type", "must be a string"});
    return {};
  }
  return Limited(name, v.extract<std::string>(), max, errors);
}

// `audience`: a string or an array of strings.
void ReadAudiences(const Poco::JSON::Object& body, usecases::ProviderAuthentication& command) {
  if (!body.has("audience")) return;
  const Poco::Dynamic::Var aud = body.get("audience");
  const FieldError wrong{"audience", "invalid_type", "must be a string or an array of strings"};
  if (aud.isString()) {
    command.input.audiences.push_back(aud.extract<std::string>());
  } else if (aud.type() == typeid(Poco::JSON::Array::Ptr)) {
    for (const auto& v : *aud.extract<Poco::JSON::Array::Ptr>()) {
      if (v.isString())
        command.input.audiences.push_back(v.extract<std::string>());
      else
        command.input_errors.push_back(wrong);
    }
  } else {
    command.input_errors.push_back(wrong);
  }
}

// The body as Poco parses it: every shape, with its problems.
usecases::ProviderAuthentication FromParsed(const Poco::JSON::Object& body) {
  usecases::ProviderAuthentication command;
  std::vector<FieldError>& errors = command.input_errors;
  for (const auto& [key, value] : body) {
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) {
      errors.push_back({key, "unknown_field", "is not a member of this request"});
    }
  }
  usecases::ClientAuthInput& in = command.input;
  in.authorization = ProviderText(body, "authorization", kMaxAuthorization, errors);
  in.client_id = ProviderText(body, "client_id", kMaxClientId, errors);
  in.client_secret = crypto::SecretString(ProviderText(body, "client_secret", kMaxSecret, errors));
  in.assertion_type = ProviderText(body, "client_assertion_type", kMaxAssertionType, errors);
  in.assertion = ProviderText(body, "client_assertion", kMaxAssertion, errors);
  ReadAudiences(body, command);
  return command;
}

// The body as nearly every provider sends it (ReadFlatStringObject): the same command as
// FromParsed gives for it, without building Poco's objects (~8 us a request).
usecases::ProviderAuthentication FromFlat(const std::vector<FlatMember>& members) {
  usecases::ProviderAuthentication command;
  std::vector<FieldError>& errors = command.input_errors;
  const auto member = [&](std::string_view name) -> const FlatMember* {
    for (const FlatMember& m : members) {
      if (m.name == name) return &m;
    }
    return nullptr;
  };
  // In FromParsed's order, so that the problems come in the same order.
  const auto text = [&](const char* name, std::size_t max) {
    const FlatMember* m = member(name);
    if (m == nullptr) return std::string();
    if (!m->array) return Limited(name, std::string(m->values.front()), max, errors);
    errors.push_back({name, "invalid_type", "must be a string"});
    return std::string();
  };
  usecases::ClientAuthInput& in = command.input;
  in.authorization = text("authorization", kMaxAuthorization);
  in.client_id = text("client_id", kMaxClientId);
  in.client_secret = crypto::SecretString(text("client_secret", kMaxSecret));
  in.assertion_type = text("client_assertion_type", kMaxAssertionType);
  in.assertion = text("client_assertion", kMaxAssertion);
  if (const FlatMember* audience = member("audience")) {
    for (const std::string_view v : audience->values) in.audiences.emplace_back(v);
  }
  return command;
}

usecases::ProviderAuthentication ReadProviderAuthentication(RequestContext& ctx) {
  const std::string body = ReadJsonBodyText(ctx, 32768);
  if (const auto flat = ReadFlatStringObject(body, kKnown)) return FromFlat(*flat);
  return FromParsed(*ParseJsonObjectBody(body));
}

}  // namespace

// GET /v1/provider/clients/{client_id}: the runtime configuration the provider needs
// (metadata, state, JWKS, secret expiry; never secret material) from the cached snapshot,
// with a strong ETag so a polling provider gets 304 while nothing changed.
void ProviderClientGet(RequestContext& ctx, AppServices& svc) {
  const usecases::ProviderClientDocument client =
      svc.use_cases.provider.Client(ctx.Param("client_id"), ctx.request.get("If-None-Match", ""));
  ctx.response.set("ETag", client.runtime->etag);
  if (client.not_modified) {
    ctx.status = 304;
    ctx.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
    ctx.response.setContentLength(0);
    ctx.response.send();
    return;
  }
  WriteBody(ctx, 200, "application/json", client.runtime->document);
}

// POST /v1/provider/authenticate: the provider forwards a token request's client
// authentication and the audience it expects; the answer is the authenticated client and
// method, or the RFC 6749 error the provider passes on (400 invalid_request, 401
// invalid_client). Errors of the call itself (bad JSON, no provider token) are problems.
void ProviderAuthenticate(RequestContext& ctx, AppServices& svc) {
  const usecases::ProviderAuthAnswer answer =
      svc.use_cases.provider.Authenticate(ReadProviderAuthentication(ctx));
  if (!answer.authenticated) {
    return WriteOAuthError(ctx, answer.error == "invalid_request" ? 400 : 401, answer.error,
                           answer.description);
  }
  Poco::JSON::Object out;
  out.set("authenticated", true);
  out.set("client_id", answer.outcome.client_id);
  out.set("method", std::string(domain::ToString(answer.outcome.method)));
  WriteJson(ctx, 200, out);
}

}  // namespace onboard::http::handlers
