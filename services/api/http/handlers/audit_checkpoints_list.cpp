#include <Poco/JSON/Array.h>
#include <Poco/NumberParser.h>

#include "audit_checkpoint_codecs.hpp"
#include "audit_common.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "signer.hpp"

namespace onboard::http::handlers {

// Newest first, with the public key that checks them: an external party keeps these and
// can later hold the service to them.
void AuditCheckpointsList(RequestContext& ctx, AppServices& svc) {
  const auto params = audit::QueryParams(ctx, {"cursor", "limit"});
  std::optional<int64_t> before;
  int limit = 50;
  std::vector<FieldError> errors;
  if (auto it = params.find("cursor"); it != params.end() && !it->second.empty()) {
    Poco::Int64 id = 0;
    if (!Poco::NumberParser::tryParse64(it->second, id) || id < 1) {
      errors.push_back({"cursor", "invalid", "cursor is malformed"});
    } else {
      before = id;
    }
  }
  if (auto it = params.find("limit"); it != params.end()) {
    if (!Poco::NumberParser::tryParse(it->second, limit) || limit < 1 ||
        limit > domain::kMaxPageSize) {
      errors.push_back({"limit", "out_of_range", "limit must be between 1 and 200"});
    }
  }
  if (!errors.empty()) throw AppError(ErrorCode::kValidation, "the query is invalid", "", errors);
  auto items = svc.audit_log.ListCheckpoints(before, limit + 1);
  const bool more = static_cast<int>(items.size()) > limit;
  if (more) items.resize(static_cast<std::size_t>(limit));
  Poco::JSON::Array list;
  for (const auto& c : items) list.add(audit::CheckpointJson(c));
  Poco::JSON::Object body;
  body.set("items", list);
  body.set("next_cursor",
           more ? Poco::Dynamic::Var(std::to_string(items.back().id)) : Poco::Dynamic::Var());
  if (const crypto::Signer* s = svc.checkpoint_signer) {
    Poco::JSON::Object key;
    key.set("key_id", s->key_id());
    key.set("algorithm", s->algorithm());
    key.set("public_key_pem", s->public_key_pem());
    body.set("public_key", key);
  } else {
    body.set("public_key", Poco::Dynamic::Var());
  }
  WriteJson(ctx, 200, body);
}

}  // namespace onboard::http::handlers
