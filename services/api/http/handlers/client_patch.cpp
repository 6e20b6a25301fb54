#include <Poco/JSON/Parser.h>

#include "client_common.hpp"
#include "client_metadata_json.hpp"
#include "client_validator.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

// RFC 7396 merge patch over the client's metadata.
void ClientPatch(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Object::Ptr patch =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes), "application/merge-patch+json");
  domain::Client current = client_common::LoadVisible(ctx, svc);
  client_common::CheckIfMatch(ctx, current);
  current.metadata = domain::ParseStoredMetadata(current.metadata_json);
  Poco::JSON::Parser parser;
  Poco::JSON::Object::Ptr stored = parser.parse(current.metadata_json).extract<Poco::JSON::Object::Ptr>();
  Poco::JSON::Object::Ptr merged = domain::ApplyMergePatch(*stored, *patch);
  std::vector<FieldError> errors;
  domain::ParseOptions options;
  options.fixed_integration_type = current.metadata.integration_type;
  domain::ClientMetadata metadata;
  try {
    metadata = domain::ParseClientMetadata(*merged, options);
  } catch (const AppError& e) {
    errors.insert(errors.end(), e.field_errors().begin(), e.field_errors().end());
  }
  if (errors.empty() && metadata.client_orgno != current.metadata.client_orgno) {
    errors.push_back({"client_orgno", "immutable", "a client cannot move to another organisation"});
  }
  if (errors.empty()) {
    auto rules = domain::ValidateClientMetadata(metadata, current.environment, svc.scopes);
    errors.insert(errors.end(), rules.begin(), rules.end());
  }
  if (!errors.empty()) throw AppError(ErrorCode::kValidation, "client metadata is invalid", "", errors);
  domain::Client next = current;
  next.metadata = std::move(metadata);
  next.metadata_json = domain::MetadataToJsonText(next.metadata);
  client_common::WriteClient(ctx, 200, client_common::SaveChange(ctx, svc, current, std::move(next), "update"));
}

}  // namespace onboard::http::handlers
