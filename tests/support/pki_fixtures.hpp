#pragma once

// A test PKI made with OpenSSL's C API: roots, intermediates, SEID 1 / SEID 2 style
// enterprise certificates with every defect the checks must catch, CRLs, and JWTs signed
// with those keys (plus alg none and HS256 forgeries).

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace onboard::testsupport::pki {

/// Seconds since the epoch, now (what the tokens' iat and exp count in).
inline int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Key {
  std::shared_ptr<EVP_PKEY> pkey;
  static Key Rsa(int bits);
  static Key Ec(const char* curve);  ///< "P-256" or "P-384"
  /// The public key as a JWK JSON object text (kty/n/e or kty/crv/x/y) with `kid`/`alg`/`use`.
  std::string PublicJwk(const std::string& kid, const std::string& alg) const;
  /// SubjectPublicKeyInfo PEM (the "public key as HMAC secret" forgery uses it).
  std::string PublicPem() const;
  /// PKCS#8 PEM of the private key (for an independent JOSE library to sign with).
  std::string PrivatePem() const;
};

struct Cert {
  std::shared_ptr<X509> x509;
  Key key;
  std::string Der() const;
  std::string Pem() const;
  std::string Base64Der() const;   ///< x5c member
  std::string Thumbprint() const;  ///< x5t#S256
};

struct CertOptions {
  std::string common_name = "Test Etat";
  std::string serial_number;            ///< SEID 1: subject serialNumber (2.5.4.5)
  std::string organization_identifier;  ///< SEID 2: subject organizationIdentifier (2.5.4.97)
  int64_t not_before_offset_s = -3600;
  int64_t not_after_offset_s = 3LL * 365 * 86400;
  bool key_usage = true;
  bool digital_signature = true;  ///< otherwise keyEncipherment only
  std::optional<Key> key;         ///< default: the shared 2048-bit RSA key
};

/// A self-signed root CA named `name` (RSA 2048).
Cert MakeRoot(const std::string& name);
/// An intermediate CA issued by `issuer`.
Cert MakeIntermediate(const Cert& issuer, const std::string& name);
/// An end-entity certificate issued by `issuer`.
Cert Issue(const Cert& issuer, const CertOptions& options);
/// A CRL of `ca` listing `revoked`, valid from an hour ago for a week; PEM.
std::string Crl(const Cert& ca, const std::vector<Cert>& revoked);

/// The shared 2048-bit RSA key (generated once per process).
const Key& SharedRsaKey();

/// A compact JWS over `header_json` . `claims_json` signed with `key` using `alg`
/// (RS256/384/512, PS256, ES256, ES384).
std::string SignJwt(const std::string& header_json, const std::string& claims_json, const Key& key,
                    const std::string& alg);
/// HS256 with `secret` as the MAC key (the "public key as secret" forgery).
std::string SignHs256(const std::string& header_json, const std::string& claims_json,
                      const std::string& secret);
/// An unsigned JWS (alg none, empty signature).
std::string Unsigned(const std::string& header_json, const std::string& claims_json);

/// Claims of a client assertion for `client_id` and `aud`, issued `iat_offset_s` from now,
/// living `lifetime_s`, with `jti` (random when empty).
std::string AssertionClaims(const std::string& client_id, const std::string& aud,
                            int64_t iat_offset_s = 0, int64_t lifetime_s = 60,
                            std::string jti = {});

/// Writes `text` to a new file under a temp directory and returns its path.
std::string WriteTempFile(const std::string& name, const std::string& text);

}  // namespace onboard::testsupport::pki
