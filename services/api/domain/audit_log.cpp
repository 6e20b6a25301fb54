#include "audit_log.hpp"

#include "enum_names.hpp"

namespace onboard::domain {

namespace {
constexpr EnumName<CheckpointKind> kCheckpointKinds[] = {{CheckpointKind::kDaily, "daily"},
                                                         {CheckpointKind::kOnDemand, "on_demand"},
                                                         {CheckpointKind::kPrune, "prune"}};
}  // namespace

std::string_view ToString(CheckpointKind kind) noexcept {
  return NameOf(kCheckpointKinds, kind, "on_demand");
}

std::string CheckpointPayload(int64_t seq, const std::string& head_hash, int64_t event_count,
                              const std::string& created_at, const std::string& key_id,
                              const std::string& kind) {
  std::string out = "onboard-audit-checkpoint/v1\n";
  out += "seq=" + std::to_string(seq) + "\n";
  out += "head_hash=" + head_hash + "\n";
  out += "event_count=" + std::to_string(event_count) + "\n";
  out += "created_at=" + created_at + "\n";
  out += "key_id=" + key_id + "\n";
  out += "kind=" + kind + "\n";
  return out;
}

}  // namespace onboard::domain
