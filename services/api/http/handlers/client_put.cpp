#include "client_common.hpp"
#include "client_metadata_json.hpp"
#include "client_validator.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

namespace {

// Read-only members a caller may echo back from a GET; they are ignored, except that
// environment and client_orgno may not change.
const std::set<std::string, std::less<>> kEchoedMembers = {
    "client_id", "environment",          "state",      "active",
    "version",   "registration_channel", "created_at", "updated_at"};

}  // namespace

void ClientPut(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
  domain::Client current = client_common::LoadVisible(ctx, svc);
  client_common::CheckIfMatch(ctx, current);
  current.metadata = domain::ParseStoredMetadata(current.metadata_json);
  std::vector<FieldError> errors;
  if (body->has("environment") &&
      body->optValue<std::string>("environment", "") != domain::ToString(current.environment)) {
    errors.push_back(
        {"environment", "immutable", "environment is set at creation and never changes"});
  }
  if (body->has("client_id") && body->optValue<std::string>("client_id", "") != current.client_id) {
    errors.push_back({"client_id", "immutable", "client_id does not match the URL"});
  }
  domain::ParseOptions options;
  options.fixed_integration_type = current.metadata.integration_type;
  options.ignored_fields = kEchoedMembers;
  client_common::SaveMetadataUpdate(ctx, svc, current, *body, options, std::move(errors));
}

}  // namespace onboard::http::handlers
