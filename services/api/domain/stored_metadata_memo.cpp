#include "stored_metadata_memo.hpp"

namespace onboard::domain {

ClientMetadata StoredMetadataMemo::Parse(const std::string& client_id,
                                         const std::string& metadata_json,
                                         std::optional<IntegrationType> stored_type) {
  // The entry is taken under the lock and copied out after it: a copy of the metadata
  // allocates every string and list in it, and every reader of every client shares this
  // mutex, which is then held for the lookup only.
  std::shared_ptr<const ClientMetadata> hit;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = entries_.find(client_id);
    if (it != entries_.end() && it->second.stored_type == stored_type &&
        it->second.metadata_json == metadata_json)
      hit = it->second.metadata;
  }
  if (hit) return *hit;
  // Parsed outside the lock: two readers of a new document may both parse it, and the
  // second one's entry replaces the equal first.
  auto parsed =
      std::make_shared<const ClientMetadata>(ParseStoredMetadata(metadata_json, stored_type));
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (entries_.size() >= capacity_ && entries_.find(client_id) == entries_.end())
      entries_.clear();
    entries_[client_id] = Entry{metadata_json, stored_type, parsed};
  }
  return *parsed;
}

std::size_t StoredMetadataMemo::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace onboard::domain
