#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace onboard::crypto {

/// A private signing key (Ed25519, or RSA signing with SHA-256 and PKCS#1 v1.5) loaded
/// once from a PEM file, used to sign audit checkpoints. Immutable after construction,
/// so thread-safe (each call makes its own EVP context).
class Signer {
 public:
  /// Reads a PEM private key (PKCS#8 or traditional). The file must be readable by its
  /// owner only (0600). Throws std::runtime_error naming the problem; the key's bytes
  /// never appear in the message.
  static Signer FromPemFile(const std::string& path);
  /// The same from PEM text (tests).
  static Signer FromPem(std::string_view pem);

  Signer(Signer&&) noexcept;
  Signer& operator=(Signer&&) noexcept;
  ~Signer();

  /// Raw signature bytes over `data`. Throws AppError(kInternal) if OpenSSL fails.
  std::string Sign(std::string_view data) const;
  /// "ed25519" or "rsa-sha256".
  const std::string& algorithm() const noexcept { return algorithm_; }
  /// The public key as SubjectPublicKeyInfo PEM.
  const std::string& public_key_pem() const noexcept { return public_pem_; }
  /// First 16 hex digits of SHA-256 over the public key's DER: names the key.
  const std::string& key_id() const noexcept { return key_id_; }

 private:
  struct Key;
  explicit Signer(std::unique_ptr<Key> key);
  std::unique_ptr<Key> key_;
  std::string algorithm_;
  std::string public_pem_;
  std::string key_id_;
};

/// Checks `signature` over `data` with a PEM public key ("ed25519" or "rsa-sha256").
/// False for a wrong signature, a malformed key or an algorithm that does not match the key.
bool VerifySignature(std::string_view public_key_pem, std::string_view algorithm,
                     std::string_view data, std::string_view signature) noexcept;

}  // namespace onboard::crypto
