#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include "error.hpp"
#include "error_writer.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "provider_service.hpp"

namespace onboard::http::handlers {

namespace {

std::string Text(const Poco::JSON::Object& body, const char* name, std::size_t max,
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

}  // namespace

// POST /v1/provider/authenticate: the provider forwards a token request's client
// authentication and the audience it expects; the answer is the authenticated client and
// method, or the RFC 6749 error the provider passes on (400 invalid_request, 401
// invalid_client). Errors of the call itself (bad JSON, no provider token) are problems.
void ProviderAuthenticate(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Object::Ptr body = ReadJsonObject(ctx, 32768);
  static const char* const kKnown[] = {"authorization",         "client_id",        "client_secret",
                                       "client_assertion_type", "client_assertion", "audience"};
  std::vector<FieldError> errors;
  for (const auto& [key, value] : *body) {
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
      errors.push_back({key, "unknown_field", "is not a member of this request"});
    }
  }
  usecases::ClientAuthInput in;
  in.authorization = Text(*body, "authorization", 4096, errors);
  in.client_id = Text(*body, "client_id", 200, errors);
  in.client_secret = crypto::SecretString(Text(*body, "client_secret", 512, errors));
  in.assertion_type = Text(*body, "client_assertion_type", 200, errors);
  in.assertion = Text(*body, "client_assertion", 16384, errors);
  if (body->has("audience")) {
    const Poco::Dynamic::Var aud = body->get("audience");
    if (aud.isString()) {
      in.audiences.push_back(aud.extract<std::string>());
    } else if (aud.type() == typeid(Poco::JSON::Array::Ptr)) {
      for (const auto& v : *aud.extract<Poco::JSON::Array::Ptr>()) {
        if (v.isString())
          in.audiences.push_back(v.extract<std::string>());
        else
          errors.push_back({"audience", "invalid_type", "must be a string or an array of strings"});
      }
    } else {
      errors.push_back({"audience", "invalid_type", "must be a string or an array of strings"});
    }
  }
  if (in.audiences.empty() || std::any_of(in.audiences.begin(), in.audiences.end(),
                                          [](const std::string& a) { return a.empty(); })) {
    errors.push_back(
        {"audience", "required", "name the issuer or token endpoint the assertion must be for"});
  }
  if (!errors.empty())
    throw AppError(ErrorCode::kValidation, "the authentication request is invalid", "", errors);

  try {
    const usecases::ClientAuthOutcome outcome = svc.provider.Authenticate(in);
    Poco::JSON::Object out;
    out.set("authenticated", true);
    out.set("client_id", outcome.client_id);
    out.set("method", std::string(domain::ToString(outcome.method)));
    WriteJson(ctx, 200, out);
  } catch (const domain::ClientAuthFailure& failure) {
    WriteOAuthError(ctx, failure.error() == "invalid_request" ? 400 : 401, failure.error(),
                    failure.description());
  }
}

}  // namespace onboard::http::handlers
