#pragma once

#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jose.hpp"

/// Enterprise certificates (virksomhetssertifikat, DOMAIN.md): reading uploads, checking
/// them against an environment's trust anchors, and deriving what is stored.
namespace onboard::domain {

/// Trust anchors of one environment: its CA bundle and the CRLs configured for its CAs.
/// Immutable after construction; verification from several threads at once is safe.
class TrustAnchors {
 public:
  TrustAnchors();
  /// From PEM texts: `ca_pem` holds one or more root (or intermediate) certificates,
  /// each CRL text one CRL. Throws std::runtime_error naming what is wrong.
  static TrustAnchors FromPem(const std::string& ca_pem, const std::vector<std::string>& crl_pems);
  /// From files (PEM); throws std::runtime_error naming the file that cannot be used.
  static TrustAnchors FromFiles(const std::string& ca_file,
                                const std::vector<std::string>& crl_files);

  bool empty() const noexcept { return anchors_ == 0; }
  std::size_t anchors() const noexcept { return anchors_; }
  X509_STORE* store() const noexcept { return store_.get(); }
  /// True when a CRL of the CA named `issuer` is configured.
  bool HasCrlFor(const X509_NAME* issuer) const;

 private:
  std::shared_ptr<X509_STORE> store_;
  std::vector<std::string> crl_issuers_;  ///< DER of each CRL's issuer name
  std::size_t anchors_ = 0;
};

/// What the checks accept besides RSA of at least 2048 bits.
struct CertificatePolicy {
  bool allow_ec = false;  ///< EC keys on P-256 or P-384
};

/// A certificate that passed every check, with what is stored of it.
struct CheckedCertificate {
  std::string der;                     ///< the leaf
  std::vector<std::string> chain_der;  ///< leaf first, then the chain as uploaded
  std::string thumbprint;              ///< x5t#S256 of the leaf; also the key's kid
  std::string subject;                 ///< RFC 2253
  std::string issuer;                  ///< RFC 2253
  std::string serial;                  ///< upper-case hex
  int64_t not_before = 0;
  int64_t not_after = 0;
  std::string orgno;
  jose::PublicJwk jwk;  ///< kid = thumbprint, x5c = chain_der, x5t#S256
};

/// Splits an upload into DER certificates, leaf first: one or more PEM blocks, or one DER
/// certificate. Throws AppError(kValidation, code `certificate_malformed`).
std::vector<std::string> ReadCertificates(std::string_view pem_or_der);

/// The organisation number in a certificate subject: SEID 2 `organizationIdentifier`
/// (2.5.4.97) `NTRNO-<orgno>`, else SEID 1 `serialNumber` (2.5.4.5) of nine digits.
std::optional<std::string> OrgnoOfSubject(const X509_NAME* subject);

/// Runs every check on `chain` (leaf first) for a client of `expected_orgno`, at
/// `now_epoch`, and returns what is stored. Throws AppError(kValidation) whose code names
/// the failed check: certificate_malformed, certificate_untrusted,
/// certificate_chain_incomplete, certificate_expired, certificate_not_yet_valid,
/// certificate_revoked, certificate_revocation_unknown, certificate_invalid,
/// certificate_key_usage, certificate_key_too_short, certificate_key_not_allowed,
/// certificate_orgno_missing, certificate_orgno_mismatch. `environment_name` goes into
/// the messages. Thread-safe.
CheckedCertificate CheckCertificate(const std::vector<std::string>& chain,
                                    const TrustAnchors& anchors, const std::string& expected_orgno,
                                    const CertificatePolicy& policy, int64_t now_epoch,
                                    const std::string& environment_name);

}  // namespace onboard::domain
