#include "audit_checkpoint_codecs.hpp"

namespace onboard::http::audit {

Poco::JSON::Object CheckpointJson(const domain::Checkpoint& c) {
  Poco::JSON::Object o;
  o.set("id", c.id);
  o.set("seq", c.seq);
  o.set("head_hash", c.head_hash);
  o.set("event_count", c.event_count);
  o.set("kind", c.kind);
  o.set("day", c.day.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(c.day));
  o.set("created_at", c.created_at);
  o.set("created_by", c.created_by);
  o.set("algorithm", c.algorithm);
  o.set("key_id", c.key_id);
  o.set("payload", c.payload);
  o.set("signature", c.signature);
  return o;
}

}  // namespace onboard::http::audit
