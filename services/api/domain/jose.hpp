#pragma once

#include <openssl/evp.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "c_handle.hpp"

/// JOSE pieces the provider API needs: public JWKs (RFC 7517/7518) to and from OpenSSL
/// keys, RFC 7638 thumbprints, and compact JWS verification (RFC 7515) for client
/// assertions. Plain C++ over OpenSSL; no I/O.
namespace onboard::domain::jose {

using PkeyDeleter = FreeWith<EVP_PKEY_free>;
/// A parsed public key, shared by cached snapshots and request threads (OpenSSL allows
/// concurrent verification with one EVP_PKEY).
using PublicKey = std::shared_ptr<EVP_PKEY>;

/// A public JWK: RSA (`n`, `e`) or EC (`crv`, `x`, `y`), optionally with the certificate
/// chain (`x5c`, standard base64 DER, leaf first) and its SHA-256 thumbprint (`x5t#S256`).
struct PublicJwk {
  std::string kty;
  std::string kid;
  std::string alg;
  std::string use = "sig";
  std::string n, e;
  std::string crv, x, y;
  std::vector<std::string> x5c;
  std::string x5t_s256;
};

/// The JWK of a public key (RSA or EC P-256/P-384). Throws AppError(kValidation, code
/// "unsupported_key") for any other key type.
PublicJwk JwkFromKey(EVP_PKEY* key);

/// The OpenSSL key of a JWK. Throws AppError(kValidation, "invalid_jwk") when the members
/// do not make a key.
PublicKey KeyFromJwk(const PublicJwk& jwk);

/// RFC 7638 thumbprint (SHA-256, base64url) over the required members.
std::string Rfc7638Thumbprint(const PublicJwk& jwk);

/// JSON text of the JWK (members in a fixed order; empty members left out).
std::string JwkJson(const PublicJwk& jwk);

/// Parses a JWK from its JSON text (as stored). Throws AppError(kValidation, "invalid_jwk").
PublicJwk ParseJwkJson(const std::string& json);

/// A JWK whose string members (kty, kid, alg, use, n, e, crv, x, y, x5t#S256) are
/// `member(name)`, for readers of JWK objects; `x5c` stays empty.
PublicJwk JwkFromMembers(const std::function<std::string(const char* name)>& member);

/// Bits of an RSA modulus or EC field; 0 for other keys.
int KeyBits(EVP_PKEY* key) noexcept;

/// JOSE signature algorithms this service can verify. `none` and HS* are not among them.
enum class Alg { kRS256, kRS384, kRS512, kPS256, kPS384, kPS512, kES256, kES384 };
std::optional<Alg> AlgFromString(std::string_view name) noexcept;
std::string_view ToString(Alg alg) noexcept;

/// True when `key` can verify `alg` (RSA for RS/PS, the matching curve for ES).
bool KeyFits(Alg alg, EVP_PKEY* key) noexcept;

/// Verifies a JWS signature over `signing_input` (RFC 7515 section 5.2, ES* in the raw
/// R||S form of RFC 7518 section 3.4). False on any mismatch or malformed signature.
bool VerifySignature(Alg alg, EVP_PKEY* key, std::string_view signing_input,
                     std::string_view signature) noexcept;

/// Standard base64 of DER bytes (x5c members).
std::string DerToX5c(std::string_view der);

/// base64url SHA-256 of DER bytes (`x5t#S256`).
std::string X5tS256(std::string_view der);

}  // namespace onboard::domain::jose
