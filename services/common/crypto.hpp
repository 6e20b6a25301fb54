#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace onboard::crypto {

/// `n` bytes from OpenSSL's CSPRNG. Throws AppError(kInternal) if the RNG fails.
std::string RandomBytes(std::size_t n);

/// Uniformly random string of `length` characters drawn from `alphabet`
/// (rejection sampling, no modulo bias). Thread-safe.
std::string RandomFromAlphabet(std::string_view alphabet, std::size_t length);

/// Base64url without padding (RFC 4648 section 5).
std::string Base64UrlEncode(std::string_view bytes);
/// Decodes base64url with or without padding; throws AppError(kBadRequest) on bad input.
std::string Base64UrlDecode(std::string_view text);
/// Standard base64 with padding.
std::string Base64Encode(std::string_view bytes);

/// Raw 32-byte SHA-256 digest.
std::string Sha256(std::string_view data);
/// Lower-case hex SHA-256 digest.
std::string Sha256Hex(std::string_view data);
/// Raw 32-byte HMAC-SHA-256.
std::string HmacSha256(std::string_view key, std::string_view data);
/// Lower-case hex of arbitrary bytes.
std::string Hex(std::string_view bytes);
/// The value (0-15) of one hex digit, either case; -1 for any other character.
int HexDigitValue(char c) noexcept;

/// Constant-time comparison of equal-length byte strings (false if lengths differ).
bool ConstantTimeEqual(std::string_view a, std::string_view b) noexcept;

/// Overwrites the buffer's bytes with OPENSSL_cleanse.
void Cleanse(std::string& s) noexcept;

/// A string that wipes itself on destruction. Move-only.
class SecretString {
 public:
  SecretString() = default;
  explicit SecretString(std::string value) : value_(std::move(value)) {}
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;
  SecretString(SecretString&& other) noexcept : value_(std::move(other.value_)) {
    other.value_.clear();
  }
  SecretString& operator=(SecretString&& other) noexcept;
  ~SecretString() { Cleanse(value_); }

  const std::string& reveal() const noexcept { return value_; }
  bool empty() const noexcept { return value_.empty(); }

 private:
  std::string value_;
};

/// A new bearer secret: `prefix` then the base64url of `bytes` bytes from the CSPRNG (the
/// raw bytes are wiped). Throws AppError(kInternal) if the RNG fails.
SecretString RandomToken(std::string_view prefix, std::size_t bytes = 32);

/// Random UUID version 4 in canonical lower-case form.
std::string NewUuid();

/// AES-256-GCM. `key`: 32 raw bytes. Returns nonce(12) || ciphertext || tag(16), with a
/// random nonce from the CSPRNG; `aad` is authenticated, not stored. Throws
/// AppError(kInternal) on a wrong key size or an OpenSSL failure. Thread-safe.
std::string SealAesGcm(std::string_view key, std::string_view plaintext, std::string_view aad);
/// Inverse of SealAesGcm. Throws AppError(kInternal) when the input is too short, the key
/// has the wrong size, or the tag does not verify (wrong key, wrong aad, altered bytes).
SecretString OpenAesGcm(std::string_view key, std::string_view sealed, std::string_view aad);

/// Bytes of the nonce and the tag SealAesGcm adds around the ciphertext.
inline constexpr std::size_t kAesGcmNonceBytes = 12;
inline constexpr std::size_t kAesGcmTagBytes = 16;
inline constexpr std::size_t kAesGcmKeyBytes = 32;

}  // namespace onboard::crypto
