#include "client_common.hpp"

#include "codecs.hpp"
#include "json_io.hpp"
#include "log_line.hpp"

namespace onboard::http::handlers::client_common {

domain::Client LoadVisible(RequestContext& ctx, AppServices& svc) {
  return svc.use_cases.clients.Get(ctx.UseCaseCaller(), ctx.Param("client_id"));
}

void CheckIfMatch(RequestContext& ctx, const domain::Client& client, bool required_for_portal) {
  usecases::Clients::CheckVersion(ctx.UseCaseCaller(), ctx.request.get("If-Match", ""), client,
                                  required_for_portal);
}

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

usecases::ClientMetadataChange ReadMetadataChange(const RequestContext& ctx,
                                                  Poco::JSON::Object::Ptr document) {
  return {.client_id = ctx.Param("client_id"),
          .if_match = ctx.request.get("If-Match", ""),
          .document = std::move(document)};
}

usecases::ClientStateChange ReadStateChange(const RequestContext& ctx) {
  return {.client_id = ctx.Param("client_id"), .if_match = ctx.request.get("If-Match", "")};
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

void WriteClient(RequestContext& ctx, int status, const domain::Client& client) {
  ctx.response.set("ETag", VersionEtag(client.version));
  WriteBody(ctx, status, "application/json", ClientJsonText(client));
}

}  // namespace onboard::http::handlers::client_common
