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
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes),
                     "application/merge-patch+json");
  domain::Client current = client_common::LoadVisible(ctx, svc);
  client_common::CheckIfMatch(ctx, current);
  current.metadata = domain::ParseStoredMetadata(current.metadata_json);
  Poco::JSON::Parser parser;
  Poco::JSON::Object::Ptr stored =
      parser.parse(current.metadata_json).extract<Poco::JSON::Object::Ptr>();
  Poco::JSON::Object::Ptr merged = domain::ApplyMergePatch(*stored, *patch);
  domain::ParseOptions options;
  options.fixed_integration_type = current.metadata.integration_type;
  client_common::SaveMetadataUpdate(ctx, svc, current, *merged, options, {});
}

}  // namespace onboard::http::handlers
