#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>

#include "app_services.hpp"
#include "client.hpp"
#include "client_common.hpp"
#include "codecs.hpp"
#include "common_codecs.hpp"
#include "dynamic_registration.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "log_line.hpp"
#include "request_context.hpp"

namespace onboard::http::handlers::client_common {

domain::Client LoadVisible(RequestContext& ctx, AppServices& svc) {
  return svc.use_cases.clients.Get(ctx.UseCaseCaller(), ctx.Param("client_id"));
}

void CheckIfMatch(RequestContext& ctx, const domain::Client& client, bool required_for_portal) {
  usecases::Clients::CheckVersion(ctx.UseCaseCaller(), ctx.request.get("If-Match", ""), client,
                                  required_for_portal);
}

std::string ClientJsonText(const domain::Client& client) {
  // Written directly (the read hot path): the lifecycle members, then the stored metadata
  // object spliced in after them, no re-encoding.
  std::string text;
  const std::string& meta = client.metadata_json;
  text.reserve(256 + meta.size());
  const auto member = [&text](std::string_view name, std::string_view value) {
    text += text.empty() ? "{\"" : ",\"";
    text += name;
    text += "\":\"";
    log::AppendJsonEscaped(text, value);
    text += '"';
  };
  member("client_id", client.client_id);
  member("environment", domain::ToString(client.environment));
  member("state", domain::ToString(client.state));
  text += ",\"active\":";
  text += client.state == domain::ClientState::kActive ? "true" : "false";
  text += ",\"version\":" + std::to_string(client.version);
  member("registration_channel", client.registration_channel);
  member("created_at", client.created_at);
  member("updated_at", client.updated_at);
  const auto open = meta.find('{');
  const std::string_view rest =
      open == std::string::npos ? std::string_view("}") : std::string_view(meta).substr(open + 1);
  if (rest.find_first_not_of(" \n\t}") != std::string_view::npos) text += ",";
  text += rest;
  return text;
}

}  // namespace onboard::http::handlers::client_common

// RFC 7591 / RFC 7592 codecs: the client information response and the registration
// access token a request presents (the rules are in usecases/dynamic_registration.hpp).
namespace onboard::http::handlers::registration {

// Absolute registration_client_uri for a client.
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

// The RFC 7591 client information response for a stored client (no secret), with its
// registration_client_uri.
Poco::JSON::Object::Ptr ClientInformation(const domain::Client& client, const RequestContext& ctx,
                                          AppServices& svc) {
  Poco::JSON::Object::Ptr out = usecases::ToRegistrationResponse(client);
  out->set("registration_client_uri", ClientUri(ctx, svc, client.client_id));
  return out;
}

// The `{client_id}` in the path and the bearer token of the Authorization header (empty
// when there is none).
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

namespace onboard::http::handlers {

namespace {

// POST /v1/clients: the metadata plus `environment` and `registration_channel`.
usecases::NewClient ReadNewClient(const Poco::JSON::Object::Ptr& body) {
  JsonFields f(*body);
  usecases::NewClient command;
  command.environment = f.String("environment", true, 32).value_or("");
  command.environment_sent = body->has("environment");
  command.channel = f.String("registration_channel", false, 32);
  command.channel_unreadable = body->has("registration_channel") &&
                               !body->isNull("registration_channel") &&
                               (!body->get("registration_channel").isString() ||
                                body->getValue<std::string>("registration_channel").size() > 32);
  command.document = body;
  return command;
}

// A PUT or PATCH of the client in the path with the request's If-Match.
usecases::ClientMetadataChange ReadMetadataChange(const RequestContext& ctx,
                                                  Poco::JSON::Object::Ptr document) {
  return {.client_id = ctx.Param("client_id"),
          .if_match = ctx.request.get("If-Match", ""),
          .document = std::move(document)};
}

// A state change of the client in the path with the request's If-Match.
usecases::ClientStateChange ReadStateChange(const RequestContext& ctx) {
  return {.client_id = ctx.Param("client_id"), .if_match = ctx.request.get("If-Match", "")};
}

// The representation with its ETag.
void WriteClient(RequestContext& ctx, int status, const domain::Client& client) {
  ctx.response.set("ETag", VersionEtag(client.version));
  WriteBody(ctx, status, "application/json", client_common::ClientJsonText(client));
}

}  // namespace

// Creates a test client. Production clients come only from an approved production order,
// so nothing reaches production without accepted terms and the operator team's review.
void ClientsPost(RequestContext& ctx, AppServices& svc) {
  const usecases::NewClient command = ReadNewClient(ReadBody(ctx, svc));
  const domain::Client created = svc.use_cases.clients.Register(ctx.UseCaseCaller(), command);
  ctx.response.set("Location", "/v1/clients/" + created.client_id);
  WriteClient(ctx, 201, created);
}

void ClientsList(RequestContext& ctx, AppServices& svc) {
  const PageParams page = ReadPageParams(ctx);
  const usecases::ClientQuery query{.organisation = ctx.Query("organisation"),
                                    .environment = ctx.Query("environment"),
                                    .integration_type = ctx.Query("integration_type"),
                                    .state = ctx.Query("state"),
                                    .name_contains = ctx.Query("q"),
                                    .page = domain::PageRequest{page.cursor, page.limit}};
  const auto result = svc.use_cases.clients.List(ctx.UseCaseCaller(), query);
  std::string body = "{\"items\":[";
  for (std::size_t i = 0; i < result.items.size(); ++i) {
    if (i > 0) body += ",";
    body += client_common::ClientJsonText(result.items[i]);
  }
  body += "],\"next_cursor\":";
  body += result.next_cursor.empty() ? "null" : "\"" + result.next_cursor + "\"";
  body += "}";
  WriteBody(ctx, 200, "application/json", body);
}

// GET /clients: the provider's list, a JSON array of the caller's clients that are in use,
// or with ?inactive=true the deactivated ones (nothing is ever deleted), unpaged as the
// provider's API is (usecases::Clients::ListAll).
void SelfServiceClientsList(RequestContext& ctx, AppServices& svc) {
  std::string body = "[";
  for (const auto& c : svc.use_cases.clients.ListAll(ctx.UseCaseCaller(), ctx.Query("inactive")))
    body += (body.size() > 1 ? "," : "") + client_common::ClientJsonText(c);
  WriteBody(ctx, 200, "application/json", body + "]");
}

void ClientGet(RequestContext& ctx, AppServices& svc) {
  WriteClient(ctx, 200, client_common::LoadVisible(ctx, svc));
}

void ClientPut(RequestContext& ctx, AppServices& svc) {
  auto command = ReadMetadataChange(ctx, ReadBody(ctx, svc));
  WriteClient(ctx, 200, svc.use_cases.clients.Replace(ctx.UseCaseCaller(), command));
}

// RFC 7396 merge patch over the client's metadata.
void ClientPatch(RequestContext& ctx, AppServices& svc) {
  const auto body = ReadBody(ctx, svc, "application/merge-patch+json");
  auto command = ReadMetadataChange(ctx, body);
  WriteClient(ctx, 200, svc.use_cases.clients.Patch(ctx.UseCaseCaller(), command));
}

void ClientHistoryGet(RequestContext& ctx, AppServices& svc) {
  const usecases::ClientHistory history =
      svc.use_cases.clients.History(ctx.UseCaseCaller(), ctx.Param("client_id"));
  const auto entry = [](const domain::ClientChange& change) {
    Poco::JSON::Object::Ptr e =
        JsonObject({{"version", change.version},
                    {"change", change.change},
                    {"changed_at", change.changed_at},
                    {"actor", change.actor},
                    {"role", change.role},
                    {"request_id", change.request_id},
                    {"state", change.state},
                    {"diff", Poco::JSON::Parser().parse(change.diff_json)}});
    if (!change.portal_user.empty()) e->set("portal_user", change.portal_user);
    return e;
  };
  Poco::JSON::Object body = ListJson(history.changes, entry);
  body.set("client_id", history.client.client_id);
  WriteJson(ctx, 200, body);
}

void ClientDeactivate(RequestContext& ctx, AppServices& svc) {
  const auto command = ReadStateChange(ctx);
  WriteClient(ctx, 200, svc.use_cases.clients.Deactivate(ctx.UseCaseCaller(), command));
}

void ClientReactivate(RequestContext& ctx, AppServices& svc) {
  const auto command = ReadStateChange(ctx);
  WriteClient(ctx, 200, svc.use_cases.clients.Reactivate(ctx.UseCaseCaller(), command));
}

// RFC 7591 dynamic registration of a test client; the bearer token (operator or portal)
// is the initial access token.
void RegisterPost(RequestContext& ctx, AppServices& svc) {
  const auto body = ReadBody(ctx, svc);
  const usecases::RegisteredClient registered =
      svc.use_cases.registration.Register(ctx.UseCaseCaller(), *body);
  Poco::JSON::Object::Ptr out = registration::ClientInformation(registered.client, ctx, svc);
  out->set("client_id_issued_at", registered.issued_at);
  out->set("registration_access_token", registered.registration_token.reveal());
  if (registered.secret) {
    out->set("client_secret", registered.secret->secret.reveal());
    out->set("client_secret_expires_at", registered.secret->record.expires_at_epoch);
  }
  ctx.response.set("Location", out->getValue<std::string>("registration_client_uri"));
  WriteJson(ctx, 201, *out);
}

// RFC 7592 read: the secret is never shown again.
void RegisterGet(RequestContext& ctx, AppServices& svc) {
  const domain::Client client = svc.use_cases.registration.Read(registration::ReadAccess(ctx));
  WriteJson(ctx, 200, *registration::ClientInformation(client, ctx, svc));
}

// RFC 7592 update: the request replaces the client's metadata.
void RegisterPut(RequestContext& ctx, AppServices& svc) {
  const auto body = ReadBody(ctx, svc);
  const domain::Client updated =
      svc.use_cases.registration.Update(registration::ReadAccess(ctx), *body);
  WriteJson(ctx, 200, *registration::ClientInformation(updated, ctx, svc));
}

// RFC 7592 delete: the client is deactivated and its registration access token retired.
void RegisterDelete(RequestContext& ctx, AppServices& svc) {
  svc.use_cases.registration.Delete(registration::ReadAccess(ctx));
  WriteNoContent(ctx);
}

}  // namespace onboard::http::handlers
