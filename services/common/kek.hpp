#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "crypto.hpp"

namespace onboard::crypto {

/// One key-encryption key: an id (stored next to what it sealed) and 32 raw key bytes.
/// The key bytes are wiped when the value is destroyed or overwritten.
struct Kek {
  std::string id;
  std::string key;

  Kek() = default;
  Kek(std::string id_in, std::string key_in) : id(std::move(id_in)), key(std::move(key_in)) {}
  Kek(const Kek&) = default;
  Kek(Kek&& other) noexcept;
  Kek& operator=(const Kek& other);
  Kek& operator=(Kek&& other) noexcept;
  ~Kek();
};

/// A value sealed under a KEK: the id of the key and nonce || ciphertext || tag.
struct Sealed {
  std::string kek_id;
  std::string bytes;
};

/// Parses `<kek_id>:<64 hex chars>` entries separated by commas or newlines (blank entries
/// and surrounding spaces ignored). kek_id is `[A-Za-z0-9._-]{1,32}`; ids must be unique.
/// Appends one message per bad entry to `problems` (never the key material) and returns the
/// entries that parsed, in order.
std::vector<Kek> ParseKeks(std::string_view text, std::vector<std::string>& problems);

/// The configured KEKs: the first seals, every one opens (so old keys can be retired after
/// re-sealing). Immutable after construction, so safe to share between threads.
class KeyRing {
 public:
  /// Throws AppError(kInternal) when `keks` is empty.
  explicit KeyRing(std::vector<Kek> keks);

  /// The key new values are sealed under.
  const Kek& Current() const noexcept { return keks_.front(); }
  /// The key called `id`; throws AppError(kInternal) if there is none (a value sealed
  /// under a key that was removed from the configuration).
  const Kek& Find(std::string_view id) const;

  /// SealAesGcm under Current().
  Sealed Seal(std::string_view plaintext, std::string_view aad) const;
  /// OpenAesGcm under Find(kek_id); throws AppError(kInternal) on an unknown id or a bad tag.
  SecretString Open(std::string_view kek_id, std::string_view sealed, std::string_view aad) const;

 private:
  std::vector<Kek> keks_;
};

/// AAD of a stored package (binding with the courier): `onboard-package|<delivery_id>`.
std::string PackageAad(std::string_view delivery_id);
/// AAD of an outbox payload (binding with the courier): `onboard-outbox|<delivery_id>|<kind>`.
std::string OutboxAad(std::string_view delivery_id, std::string_view kind);

}  // namespace onboard::crypto
