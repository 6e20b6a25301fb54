// The provider runtime's routes (role provider): GET /v1/provider/clients/{client_id} and
// POST /v1/provider/authenticate. Rules in usecases/provider_runtime.cpp.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>

#include "error.hpp"
#include "error_writer.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "provider_runtime.hpp"

namespace onboard::http::handlers {

namespace {

std::string ProviderText(const Poco::JSON::Object& body, const char* name, std::size_t max,
                         std::vector<FieldError>& errors) {
  if (!body.has(name) || body.isNull(name)) return {};
  const Poco::Dynamic::Var v = body.get(name);
  if (!v.isString()) {
    errors.push_back({name, "invalid_type", "must be a string"});
    return {};
  }
  std::string s = v.extract<std::string>();
  if (s.size() > max) {
    errors.push_back({name, "too_long", "is too long"});
    return {};
  }
  return s;
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

usecases::ProviderAuthentication ReadProviderAuthentication(RequestContext& ctx) {
  Poco::JSON::Object::Ptr body = ReadJsonObject(ctx, 32768);
  static const char* const kKnown[] = {"authorization",         "client_id",        "client_secret",
                                       "client_assertion_type", "client_assertion", "audience"};
  usecases::ProviderAuthentication command;
  std::vector<FieldError>& errors = command.input_errors;
  for (const auto& [key, value] : *body) {
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
      errors.push_back({key, "unknown_field", "is not a member of this request"});
    }
  }
  usecases::ClientAuthInput& in = command.input;
  in.authorization = ProviderText(*body, "authorization", 4096, errors);
  in.client_id = ProviderText(*body, "client_id", 200, errors);
  in.client_secret = crypto::SecretString(ProviderText(*body, "client_secret", 512, errors));
  in.assertion_type = ProviderText(*body, "client_assertion_type", 200, errors);
  in.assertion = ProviderText(*body, "client_assertion", 16384, errors);
  ReadAudiences(*body, command);
  return command;
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
