#include "client_common.hpp"

#include "log_line.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "client_validator.hpp"
#include "codecs.hpp"
#include "error.hpp"
#include "json_io.hpp"
#include "json_text.hpp"
#include "provider_service.hpp"

namespace onboard::http::handlers::client_common {

namespace {
std::string Stringify(const Poco::JSON::Object& o) { return json::Text(o); }
}  // namespace

/// The supplier_orgno of a client (its metadata may be unparsed as read from the store).
std::string SupplierOf(const domain::Client& client);

void ApplyAccessTokenOwnership(const RequestContext& ctx, domain::ClientMetadata& metadata) {
  const Caller& caller = *ctx.caller;
  const std::string& org = caller.portal_org;
  if (metadata.client_orgno == org) {
    // The organisation's own client (a supplier_orgno it names stays as sent).
    if ((caller.permissions & domain::Bit(ctx.permission)) != 0) return;
    throw AppError(ErrorCode::kForbidden,
                   "this operation needs the scope " + domain::ScopesGranting(ctx.permission), "",
                   {}, "insufficient_scope");
  }
  if (!caller.supplier) {
    throw AppError(ErrorCode::kValidation, "client_orgno must be the token's organisation", "",
                   {{"client_orgno", "not_own_organisation",
                     "client_orgno must be the consumer organisation of the access token, or "
                     "the token needs idporten:dcr.supplier"}});
  }
  if (metadata.supplier_orgno && *metadata.supplier_orgno != org) {
    throw AppError(ErrorCode::kValidation, "supplier_orgno must be the token's organisation", "",
                   {{"supplier_orgno", "not_own_organisation",
                     "a supplier's clients name the supplier's own organisation"}});
  }
  metadata.supplier_orgno = org;
}

std::string SupplierOf(const domain::Client& client) {
  if (client.metadata.supplier_orgno) return *client.metadata.supplier_orgno;
  Poco::JSON::Parser parser;
  auto obj = parser.parse(client.metadata_json).extract<Poco::JSON::Object::Ptr>();
  return obj->optValue<std::string>("supplier_orgno", "");
}

std::string OrganisationOf(const domain::Client& client) {
  if (!client.metadata.client_orgno.empty()) return client.metadata.client_orgno;
  if (!client.organisation.empty()) return client.organisation;
  Poco::JSON::Parser parser;
  auto obj = parser.parse(client.metadata_json).extract<Poco::JSON::Object::Ptr>();
  return obj->optValue<std::string>("client_orgno", "");
}

domain::Client LoadVisible(RequestContext& ctx, AppServices& svc) {
  auto client = svc.clients.Find(ctx.Param("client_id"));
  if (!client) throw AppError(ErrorCode::kNotFound, "no such client");
  try {
    ctx.RequireClientVisible(OrganisationOf(*client), SupplierOf(*client));
  } catch (const AppError& e) {
    if (e.code() != ErrorCode::kNotFound) throw;
    // Word for word the answer for a client that does not exist: no hint that it does.
    throw AppError(ErrorCode::kNotFound, "no such client", e.internal());
  }
  return *client;
}

void CheckIfMatch(RequestContext& ctx, const domain::Client& client, bool required_for_portal) {
  const std::string header = ctx.request.get("If-Match", "");
  if (header.empty()) {
    // Access tokens are customers' automation in the provider's API shape, which has no
    // If-Match: one that is sent is honoured, none is asked for.
    if (ctx.IsPortal() && required_for_portal && !ctx.caller->access_token) {
      throw AppError(ErrorCode::kPreconditionRequired,
                     "send If-Match with the ETag you read, so changes never collide");
    }
    return;
  }
  if (header == "*") return;
  if (ParseIfMatch(header) != client.version) {
    throw AppError(ErrorCode::kPreconditionFailed,
                   "the client was changed since you read it (now version " +
                       std::to_string(client.version) + ")",
                   "", {}, "version_mismatch");
  }
}

bool LeavesSecretAuth(const domain::Client& current, const domain::Client& next) {
  if (current.metadata_json == next.metadata_json) return false;
  auto uses_secret = [](const std::string& metadata_json) {
    const auto method = domain::ParseStoredMetadata(metadata_json).token_endpoint_auth_method;
    return method == domain::AuthMethod::kClientSecretBasic ||
           method == domain::AuthMethod::kClientSecretPost;
  };
  return uses_secret(current.metadata_json) && !uses_secret(next.metadata_json);
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

domain::Client SaveChange(RequestContext& ctx, AppServices& svc, const domain::Client& current,
                          domain::Client next, const std::string& change) {
  domain::ClientWrite write;
  write.change = change;
  write.diff_json = domain::DiffMetadataJson(current.metadata_json, next.metadata_json);
  write.audit = ctx.Audit("client." + change, "client", current.client_id, OrganisationOf(current));
  write.revoke_secrets = LeavesSecretAuth(current, next);
  Poco::JSON::Object detail;
  detail.set("environment", std::string(domain::ToString(current.environment)));
  detail.set("from_version", current.version);
  detail.set("state", std::string(domain::ToString(next.state)));
  Poco::JSON::Parser parser;
  Poco::JSON::Array::Ptr diff = parser.parse(write.diff_json).extract<Poco::JSON::Array::Ptr>();
  Poco::JSON::Array fields;
  for (std::size_t i = 0; i < diff->size(); ++i)
    fields.add(diff->getObject(static_cast<unsigned>(i))->getValue<std::string>("field"));
  detail.set("changed_fields", fields);
  if (write.revoke_secrets) detail.set("secrets_revoked", true);
  write.audit.detail_json = Stringify(detail);
  domain::Client updated = svc.clients.Update(next, current.version, write);
  svc.provider.Invalidate(current.client_id);
  return updated;
}

void SaveMetadataUpdate(RequestContext& ctx, AppServices& svc, const domain::Client& current,
                        const Poco::JSON::Object& document, const domain::ParseOptions& options,
                        std::vector<FieldError> errors) {
  domain::ClientMetadata metadata;
  try {
    metadata = domain::ParseClientMetadata(document, options);
  } catch (const AppError& e) {
    errors.insert(errors.end(), e.field_errors().begin(), e.field_errors().end());
  }
  if (errors.empty() && metadata.client_orgno != current.metadata.client_orgno) {
    errors.push_back({"client_orgno", "immutable", "a client cannot move to another organisation"});
  }
  if (errors.empty() && ctx.caller && ctx.caller->access_token && ctx.caller->supplier &&
      SupplierOf(current) == ctx.caller->portal_org &&
      OrganisationOf(current) != ctx.caller->portal_org) {
    // A supplier's change keeps it the supplier: it can neither drop nor hand over a client.
    if (metadata.supplier_orgno && *metadata.supplier_orgno != ctx.caller->portal_org) {
      errors.push_back({"supplier_orgno", "not_own_organisation",
                        "a supplier's clients name the supplier's own organisation"});
    }
    metadata.supplier_orgno = ctx.caller->portal_org;
  }
  if (errors.empty()) {
    auto rules = domain::ValidateClientMetadata(metadata, current.environment, svc.scopes);
    errors.insert(errors.end(), rules.begin(), rules.end());
  }
  if (!errors.empty())
    throw AppError(ErrorCode::kValidation, "client metadata is invalid", "", errors);
  domain::Client next = current;
  next.metadata = std::move(metadata);
  next.metadata_json = domain::MetadataToJsonText(next.metadata);
  client_common::WriteClient(
      ctx, 200, client_common::SaveChange(ctx, svc, current, std::move(next), "update"));
}

}  // namespace onboard::http::handlers::client_common
