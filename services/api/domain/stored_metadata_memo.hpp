#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "client.hpp"

namespace onboard::domain {

/// The parsed form of stored client metadata, remembered per client so that the hot reads
/// (GET /v1/clients/{id}, the lists, the provider's load) do not run the whole metadata
/// parser (about 10 us, `BM_ParseStoredMetadata`) for a document they parsed before.
///
/// An entry answers only for exactly the text and integration type it was parsed from
/// (compared in full), so it can never be stale: a changed client has a changed document
/// and is parsed again. At most `capacity` clients are remembered; past that the memo
/// starts over (the next reads parse again). Thread-safe.
class StoredMetadataMemo {
 public:
  explicit StoredMetadataMemo(std::size_t capacity = 4096) : capacity_(capacity) {}

  /// What ParseStoredMetadata(`metadata_json`, `stored_type`) returns; throws what it
  /// throws (and remembers nothing then).
  ClientMetadata Parse(const std::string& client_id, const std::string& metadata_json,
                       std::optional<IntegrationType> stored_type);

  /// Clients remembered now.
  std::size_t size() const;

 private:
  struct Entry {
    std::string metadata_json;
    std::optional<IntegrationType> stored_type;
    std::shared_ptr<const ClientMetadata> metadata;
  };
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace onboard::domain
