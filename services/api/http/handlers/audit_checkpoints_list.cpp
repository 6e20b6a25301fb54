#include <Poco/JSON/Array.h>

#include "audit_checkpoint_codecs.hpp"
#include "audit_common.hpp"
#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

// Newest first, with the public key that checks them: an external party keeps these and
// can later hold the service to them.
void AuditCheckpointsList(RequestContext& ctx, AppServices& svc) {
  const usecases::CheckpointPage page =
      svc.use_cases.audit.Checkpoints(audit::QueryParams(ctx, {"cursor", "limit"}));
  Poco::JSON::Array list;
  for (const auto& c : page.items) list.add(audit::CheckpointJson(c));
  Poco::JSON::Object body;
  body.set("items", list);
  body.set("next_cursor",
           page.next_cursor ? Poco::Dynamic::Var(*page.next_cursor) : Poco::Dynamic::Var());
  if (page.key) {
    Poco::JSON::Object key;
    key.set("key_id", page.key->key_id);
    key.set("algorithm", page.key->algorithm);
    key.set("public_key_pem", page.key->public_key_pem);
    body.set("public_key", key);
  } else {
    body.set("public_key", Poco::Dynamic::Var());
  }
  WriteJson(ctx, 200, body);
}

}  // namespace onboard::http::handlers
