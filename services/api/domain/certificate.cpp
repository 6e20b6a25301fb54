#include "certificate.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "c_handle.hpp"
#include "error.hpp"
#include "orgno.hpp"

namespace onboard::domain {

namespace {

// A chain's stack owns its certificates (sk_X509_pop_free is a macro, so not a FreeWith).
struct StackDeleter {
  void operator()(STACK_OF(X509) * s) const noexcept { sk_X509_pop_free(s, X509_free); }
};
using X509Ptr = CHandle<X509, X509_free>;
using BioPtr = CHandle<BIO, BIO_free>;

[[noreturn]] void Refuse(const std::string& code, const std::string& message) {
  throw AppError(ErrorCode::kValidation, message, "", {{"certificate", code, message}}, code);
}

X509Ptr FromDer(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  ERR_clear_error();
  if (x == nullptr || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    X509_free(x);
    return nullptr;
  }
  return X509Ptr(x);
}

std::string ToDer(X509* x) {
  unsigned char* out = nullptr;
  const int len = i2d_X509(x, &out);
  if (len <= 0) throw AppError(ErrorCode::kInternal, "internal error", "i2d_X509 failed");
  std::string der(reinterpret_cast<const char*>(out), static_cast<std::size_t>(len));
  OPENSSL_free(out);
  return der;
}

std::string NameText(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) return {};
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::string NameDer(const X509_NAME* name) {
  const unsigned char* der = nullptr;
  std::size_t len = 0;
  if (X509_NAME_get0_der(name, &der, &len) != 1) return {};
  return std::string(reinterpret_cast<const char*>(der), len);
}

int64_t Epoch(const ASN1_TIME* t) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

std::string SerialHex(X509* x) {
  CHandle<BIGNUM, BN_free> bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), nullptr));
  if (!bn) return {};
  char* hex = BN_bn2hex(bn.get());
  std::string out = hex == nullptr ? "" : hex;
  OPENSSL_free(hex);
  return out;
}

std::string EntryText(const X509_NAME* name, int nid) {
  const int idx = X509_NAME_get_index_by_NID(name, nid, -1);
  if (idx < 0) return {};
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
  unsigned char* utf8 = nullptr;
  const int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) return {};
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

bool NineDigits(const std::string& s) {
  return s.size() == 9 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TrustAnchors::TrustAnchors() : store_(X509_STORE_new(), FreeWith<X509_STORE_free>()) {}

TrustAnchors TrustAnchors::FromPem(const std::string& ca_pem,
                                   const std::vector<std::string>& crl_pems) {
  TrustAnchors out;
  BioPtr bio(BIO_new_mem_buf(ca_pem.data(), static_cast<int>(ca_pem.size())));
  while (true) {
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) break;
    if (X509_STORE_add_cert(out.store_.get(), cert.get()) != 1) {
      ERR_clear_error();  // a duplicate certificate is harmless
    } else {
      ++out.anchors_;
    }
  }
  ERR_clear_error();
  if (out.anchors_ == 0) throw std::runtime_error("holds no PEM certificate");
  for (const auto& pem : crl_pems) {
    BioPtr crl_bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    CHandle<X509_CRL, X509_CRL_free> crl(
        PEM_read_bio_X509_CRL(crl_bio.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    if (!crl) throw std::runtime_error("holds no PEM CRL");
    if (X509_STORE_add_crl(out.store_.get(), crl.get()) != 1)
      throw std::runtime_error("CRL cannot be added");
    out.crl_issuers_.push_back(NameDer(X509_CRL_get_issuer(crl.get())));
  }
  return out;
}

TrustAnchors TrustAnchors::FromFiles(const std::string& ca_file,
                                     const std::vector<std::string>& crl_files) {
  std::vector<std::string> crls;
  for (const auto& f : crl_files) crls.push_back(ReadFile(f));
  try {
    return FromPem(ReadFile(ca_file), crls);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(ca_file + ": " + e.what());
  }
}

bool TrustAnchors::HasCrlFor(const X509_NAME* issuer) const {
  const std::string der = NameDer(issuer);
  return std::find(crl_issuers_.begin(), crl_issuers_.end(), der) != crl_issuers_.end();
}

namespace {
// The DER of a certificate OpenSSL read, refused when OpenSSL cannot read that DER again
// (it takes some malformed encodings it does not write back; found by certificate_fuzz), so
// every certificate ReadCertificates returns is one CheckCertificate can read.
std::string ReadableDer(X509* cert) {
  std::string der = ToDer(cert);
  if (!FromDer(der))
    Refuse("certificate_malformed", "the certificate's encoding is not valid DER X.509");
  return der;
}
}  // namespace

std::vector<std::string> ReadCertificates(std::string_view upload) {
  std::vector<std::string> out;
  if (upload.find("-----BEGIN") != std::string_view::npos) {
    BioPtr bio(BIO_new_mem_buf(upload.data(), static_cast<int>(upload.size())));
    while (true) {
      X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
      if (!cert) break;
      out.push_back(ReadableDer(cert.get()));
    }
    ERR_clear_error();
  } else if (X509Ptr cert = FromDer(std::string(upload))) {
    out.push_back(ReadableDer(cert.get()));
  }
  if (out.empty()) Refuse("certificate_malformed", "not a PEM or DER X.509 certificate");
  if (out.size() > 10)
    Refuse("certificate_malformed", "at most 10 certificates (the leaf and its chain)");
  return out;
}

std::optional<std::string> OrgnoOfSubject(const X509_NAME* subject) {
  const std::string org_id = EntryText(subject, NID_organizationIdentifier);
  if (org_id.rfind("NTRNO-", 0) == 0 && NineDigits(org_id.substr(6))) return org_id.substr(6);
  const std::string serial = EntryText(subject, NID_serialNumber);
  if (NineDigits(serial)) return serial;
  return std::nullopt;
}

CheckedCertificate CheckCertificate(const std::vector<std::string>& chain,
                                    const TrustAnchors& anchors, const std::string& expected_orgno,
                                    const CertificatePolicy& policy, int64_t now_epoch,
                                    const std::string& environment_name) {
  if (chain.empty()) Refuse("certificate_malformed", "no certificate was given");
  X509Ptr leaf = FromDer(chain.front());
  if (!leaf) Refuse("certificate_malformed", "not a DER X.509 certificate");
  std::unique_ptr<STACK_OF(X509), StackDeleter> untrusted(sk_X509_new_null());
  for (std::size_t i = 1; i < chain.size(); ++i) {
    X509Ptr c = FromDer(chain[i]);
    if (!c)
      Refuse("certificate_malformed",
             "chain certificate " + std::to_string(i) + " is not an X.509 certificate");
    sk_X509_push(untrusted.get(), c.release());
  }
  if (anchors.empty()) {
    Refuse("certificate_untrusted",
           "no trust anchors are configured for the " + environment_name + " environment");
  }

  // 1. The chain leads to a trust anchor of this environment and is valid now.
  CHandle<X509_STORE_CTX, X509_STORE_CTX_free> ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), anchors.store(), leaf.get(), untrusted.get()) != 1) {
    throw AppError(ErrorCode::kInternal, "internal error", "X509_STORE_CTX_init failed");
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(now_epoch));
  // Revocation where a CRL of the issuing CA is configured (DOMAIN.md: "where the operator
  // configures it").
  if (anchors.HasCrlFor(X509_get_issuer_name(leaf.get())))
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK);
  const int verified = X509_verify_cert(ctx.get());
  ERR_clear_error();
  if (verified != 1) {
    const int err = X509_STORE_CTX_get_error(ctx.get());
    const std::string reason = X509_verify_cert_error_string(err);
    const int depth = X509_STORE_CTX_get_error_depth(ctx.get());
    const std::string which =
        depth == 0 ? "the certificate" : "chain certificate " + std::to_string(depth);
    switch (err) {
      case X509_V_ERR_CERT_HAS_EXPIRED:
        Refuse("certificate_expired", which + " has expired");
      case X509_V_ERR_CERT_NOT_YET_VALID:
        Refuse("certificate_not_yet_valid", which + " is not valid yet");
      case X509_V_ERR_CERT_REVOKED:
        Refuse("certificate_revoked", which + " is revoked (CRL of its CA)");
      case X509_V_ERR_UNABLE_TO_GET_CRL:
      case X509_V_ERR_CRL_HAS_EXPIRED:
      case X509_V_ERR_CRL_NOT_YET_VALID:
      case X509_V_ERR_CRL_SIGNATURE_FAILURE:
      case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
        Refuse("certificate_revocation_unknown", "revocation cannot be checked: " + reason);
      case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      case X509_V_ERR_CERT_UNTRUSTED:
        Refuse("certificate_untrusted", "the certificate's root CA is not a trust anchor of the " +
                                            environment_name + " environment");
      case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
      case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
      case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        Refuse("certificate_chain_incomplete",
               "no chain to a trust anchor of the " + environment_name +
                   " environment: add the intermediate certificates, or use a certificate from a "
                   "CA trusted there");
      default:
        Refuse("certificate_invalid", which + " cannot be verified: " + reason);
    }
  }

  // 2. The key may sign.
  const uint32_t usage = X509_get_key_usage(leaf.get());
  if (usage == UINT32_MAX || (usage & KU_DIGITAL_SIGNATURE) == 0) {
    Refuse("certificate_key_usage", "the certificate's key usage does not allow digital signature");
  }

  // 3. The key is strong enough and of an accepted type.
  EVP_PKEY* key = X509_get0_pubkey(leaf.get());
  if (key == nullptr)
    Refuse("certificate_malformed", "the certificate's public key cannot be read");
  if (EVP_PKEY_is_a(key, "RSA")) {
    if (EVP_PKEY_get_bits(key) < 2048) {
      Refuse("certificate_key_too_short", "the RSA key has " +
                                              std::to_string(EVP_PKEY_get_bits(key)) +
                                              " bits; at least 2048 are required");
    }
  } else if (EVP_PKEY_is_a(key, "EC") && policy.allow_ec) {
    if (EVP_PKEY_get_bits(key) != 256 && EVP_PKEY_get_bits(key) != 384) {
      Refuse("certificate_key_not_allowed", "EC keys must be on P-256 or P-384");
    }
  } else {
    Refuse("certificate_key_not_allowed",
           policy.allow_ec ? "the key must be RSA (2048 bits or more) or EC P-256/P-384"
                           : "the key must be RSA (2048 bits or more)");
  }

  // 4. The organisation number in the subject is the client's.
  const auto orgno = OrgnoOfSubject(X509_get_subject_name(leaf.get()));
  if (!orgno) {
    Refuse("certificate_orgno_missing",
           "the subject names no organisation number (serialNumber of nine digits, or "
           "organizationIdentifier NTRNO-<orgno>)");
  }
  if (*orgno != expected_orgno) {
    Refuse("certificate_orgno_mismatch", "the certificate belongs to organisation " + *orgno +
                                             ", the client to " + expected_orgno);
  }

  CheckedCertificate out;
  out.der = chain.front();
  out.chain_der = chain;
  out.thumbprint = jose::X5tS256(out.der);
  out.subject = NameText(X509_get_subject_name(leaf.get()));
  out.issuer = NameText(X509_get_issuer_name(leaf.get()));
  out.serial = SerialHex(leaf.get());
  out.not_before = Epoch(X509_get0_notBefore(leaf.get()));
  out.not_after = Epoch(X509_get0_notAfter(leaf.get()));
  out.orgno = *orgno;
  out.jwk = jose::JwkFromKey(key);
  out.jwk.kid = out.thumbprint;
  out.jwk.x5t_s256 = out.thumbprint;
  for (const auto& der : chain) out.jwk.x5c.push_back(jose::DerToX5c(der));
  return out;
}

}  // namespace onboard::domain
