// The provider runtime's routes (role provider): GET /v1/provider/clients/{client_id} and
// POST /v1/provider/authenticate. Rules in usecases/provider_runtime.cpp.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "error_writer.hpp"
#include "flat_json.hpp"
#include "handlers.hpp"
#include "json_body.hpp"
#include "json_io.hpp"
#include "provider_runtime.hpp"

namespace onboard::http::handlers {

namespace {

constexpr std::size_t kMaxAuthorization = 4096, kMaxClientId = 200, kMaxSecret = 512,
                      kMaxAssertionType = 200, kMaxAssertion = 16384;
const std::vector<std::string_view> kKnown = {"authorization",    "client_id",
                                              "client_secret",    "client_assertion_type",
                                              "client_assertion", "audience"};

// The command from the body's members (`member(name)`), with its problems in one order
// whichever reader read them.
template <class Lookup>
usecases::ProviderAuthentication Command(Lookup&& member, std::vector<FieldError> problems) {
  usecases::ProviderAuthentication command;
  std::vector<FieldError>& errors = command.input_errors = std::move(problems);
  const auto text = [&](const char* name, std::size_t max) {
    BodyMember m = member(name);
    if (m.kind == BodyMember::kString && m.text.size() <= max) return std::move(m.text);
    if (m.kind == BodyMember::kString) errors.push_back({name, "too_long", "is too long"});
    if (m.kind > BodyMember::kString) errors.push_back({name, "invalid_type", "must be a string"});
    return std::string();
  };
  usecases::ClientAuthInput& in = command.input;
  in.authorization = text("authorization", kMaxAuthorization);
  in.client_id = text("client_id", kMaxClientId);
  in.client_secret = crypto::SecretString(text("client_secret", kMaxSecret));
  in.assertion_type = text("client_assertion_type", kMaxAssertionType);
  in.assertion = text("client_assertion", kMaxAssertion);
  // `audience`: a string or an array of strings.
  const BodyMember audience = member("audience");
  const FieldError wrong{"audience", "invalid_type", "must be a string or an array of strings"};
  if (audience.kind == BodyMember::kString) in.audiences.push_back(audience.text);
  for (const auto& item : audience.items) {
    if (item) in.audiences.push_back(*item);
    if (!item) errors.push_back(wrong);
  }
  if (audience.kind == BodyMember::kNull || audience.kind == BodyMember::kOther)
    errors.push_back(wrong);
  return command;
}

// The usual body (a flat object of plain strings, ReadFlatStringObject) is read in place,
// ~8 us less than building Poco's objects; every other one as Poco parses it.
usecases::ProviderAuthentication ReadProviderAuthentication(RequestContext& ctx) {
  const std::string body = ReadJsonBodyText(ctx, 32768);
  if (const auto flat = ReadFlatStringObject(body, kKnown)) {
    return Command([&](std::string_view name) { return MemberOf(*flat, name); }, {});
  }
  const Poco::JSON::Object::Ptr parsed = ParseJsonObjectBody(body);
  std::vector<FieldError> unknown;
  for (const auto& [key, value] : *parsed) {
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end())
      unknown.push_back({key, "unknown_field", "is not a member of this request"});
  }
  return Command([&](std::string_view name) { return MemberOf(*parsed, std::string(name)); },
                 std::move(unknown));
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
