#include "client_common.hpp"
#include "client_metadata_json.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "provider_service.hpp"
#include "json_io.hpp"
#include "registration_common.hpp"

namespace onboard::http::handlers {

// RFC 7592 update: the request replaces the client's metadata.
void RegisterPut(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
  domain::Client current = registration::Authenticate(ctx, svc);
  if (body->optValue<std::string>("client_id", "") != current.client_id) {
    throw AppError(ErrorCode::kValidation, "client metadata is invalid", "",
                   {{"client_id", "mismatch",
                     "client_id must be present and equal to the registered client_id"}});
  }
  current.metadata = domain::ParseStoredMetadata(current.metadata_json);
  domain::ClientMetadata metadata = registration::ParseAndValidate(
      *body, current.metadata.client_orgno, svc, current.metadata.integration_type);
  if (metadata.client_orgno != current.metadata.client_orgno) {
    throw AppError(ErrorCode::kValidation, "client metadata is invalid", "",
                   {{"client_orgno", "immutable", "a client cannot move to another organisation"}});
  }
  domain::Client next = current;
  next.metadata = std::move(metadata);
  next.metadata_json = domain::MetadataToJsonText(next.metadata);
  domain::ClientWrite write;
  write.change = "update";
  write.diff_json = domain::DiffMetadataJson(current.metadata_json, next.metadata_json);
  write.audit = registration::RegistrationAudit(ctx, "client.update", current);
  write.revoke_secrets = client_common::LeavesSecretAuth(current, next);
  if (write.revoke_secrets) write.audit.detail_json = R"({"secrets_revoked":true})";
  domain::Client updated = svc.clients.Update(next, current.version, write);
  svc.provider.Invalidate(current.client_id);
  WriteJson(ctx, 200, *registration::ClientInformation(updated, ctx, svc));
}

}  // namespace onboard::http::handlers
