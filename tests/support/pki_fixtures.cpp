#include "pki_fixtures.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <atomic>
#include <ctime>
#include <fstream>
#include <mutex>
#include <stdexcept>

#include "crypto.hpp"
#include "jose.hpp"

namespace onboard::testsupport::pki {

namespace {

void Check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what + " failed");
}

std::shared_ptr<X509> NewCert() { return std::shared_ptr<X509>(X509_new(), X509_free); }

std::atomic<long> next_serial{1000};

void SetName(X509_NAME* name, const std::string& cn, const std::string& serial_number,
             const std::string& org_identifier) {
  Check(X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("NO"), -1, -1, 0) == 1,
        "C");
  Check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                   0) == 1,
        "O");
  if (!serial_number.empty()) {
    Check(X509_NAME_add_entry_by_NID(name, NID_serialNumber, MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>(serial_number.c_str()),
                                     -1, -1, 0) == 1,
          "serialNumber");
  }
  if (!org_identifier.empty()) {
    Check(X509_NAME_add_entry_by_NID(name, NID_organizationIdentifier, MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>(org_identifier.c_str()),
                                     -1, -1, 0) == 1,
          "organizationIdentifier");
  }
  Check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                   0) == 1,
        "CN");
}

void AddExt(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  Check(ext != nullptr, "extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

Cert Build(const Cert* issuer, const Key& key, const std::string& cn,
           const std::string& serial_number, const std::string& org_identifier, int64_t nb,
           int64_t na, bool ca, bool key_usage, bool digital_signature) {
  Cert c;
  c.key = key;
  c.x509 = NewCert();
  X509* x = c.x509.get();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), next_serial++);
  X509_gmtime_adj(X509_getm_notBefore(x), static_cast<long>(nb));
  X509_gmtime_adj(X509_getm_notAfter(x), static_cast<long>(na));
  X509_set_pubkey(x, key.pkey.get());
  SetName(X509_get_subject_name(x), cn, serial_number, org_identifier);
  X509* issuer_x = issuer ? issuer->x509.get() : x;
  X509_set_issuer_name(x, X509_get_subject_name(issuer_x));
  AddExt(x, issuer_x, NID_subject_key_identifier, "hash");
  if (issuer) AddExt(x, issuer_x, NID_authority_key_identifier, "keyid:always");
  if (ca) {
    AddExt(x, issuer_x, NID_basic_constraints, "critical,CA:TRUE");
    AddExt(x, issuer_x, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature");
  } else {
    AddExt(x, issuer_x, NID_basic_constraints, "critical,CA:FALSE");
    if (key_usage) {
      AddExt(x, issuer_x, NID_key_usage,
             digital_signature ? "critical,digitalSignature,nonRepudiation"
                               : "critical,keyEncipherment");
    }
  }
  EVP_PKEY* signer = issuer ? issuer->key.pkey.get() : key.pkey.get();
  Check(X509_sign(x, signer, EVP_sha256()) > 0, "X509_sign");
  return c;
}

std::string B64Url(const std::string& s) { return crypto::Base64UrlEncode(s); }

// What `write` (a PEM_write_bio_* call, which must answer 1) puts into a memory BIO.
template <class Write>
std::string PemText(Write write, const char* what) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  Check(write(bio.get()) == 1, what);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

}  // namespace

Key Key::Rsa(int bits) {
  Key k;
  k.pkey = std::shared_ptr<EVP_PKEY>(EVP_RSA_gen(static_cast<unsigned>(bits)), EVP_PKEY_free);
  Check(k.pkey != nullptr, "RSA key generation");
  return k;
}

Key Key::Ec(const char* curve) {
  Key k;
  k.pkey = std::shared_ptr<EVP_PKEY>(EVP_EC_gen(std::string(curve) == "P-384" ? "P-384" : "P-256"),
                                     EVP_PKEY_free);
  Check(k.pkey != nullptr, "EC key generation");
  return k;
}

std::string Key::PublicJwk(const std::string& kid, const std::string& alg) const {
  domain::jose::PublicJwk jwk = domain::jose::JwkFromKey(pkey.get());
  jwk.kid = kid;
  jwk.alg = alg;
  return domain::jose::JwkJson(jwk);
}

std::string Key::PublicPem() const {
  return PemText([&](BIO* bio) { return PEM_write_bio_PUBKEY(bio, pkey.get()); },
                 "PEM_write_bio_PUBKEY");
}

std::string Key::PrivatePem() const {
  return PemText(
      [&](BIO* bio) {
        return PEM_write_bio_PrivateKey(bio, pkey.get(), nullptr, nullptr, 0, nullptr, nullptr);
      },
      "PEM_write_bio_PrivateKey");
}

std::string Cert::Der() const {
  unsigned char* out = nullptr;
  const int len = i2d_X509(x509.get(), &out);
  Check(len > 0, "i2d_X509");
  std::string der(reinterpret_cast<const char*>(out), static_cast<std::size_t>(len));
  OPENSSL_free(out);
  return der;
}

std::string Cert::Pem() const {
  return PemText([&](BIO* bio) { return PEM_write_bio_X509(bio, x509.get()); },
                 "PEM_write_bio_X509");
}

std::string Cert::Base64Der() const { return crypto::Base64Encode(Der()); }
std::string Cert::Thumbprint() const { return domain::jose::X5tS256(Der()); }

const Key& SharedRsaKey() {
  static const Key key = Key::Rsa(2048);
  return key;
}

Cert MakeRoot(const std::string& name) {
  return Build(nullptr, Key::Rsa(2048), name, "", "", -86400, 10LL * 365 * 86400, true, true, true);
}

Cert MakeIntermediate(const Cert& issuer, const std::string& name) {
  return Build(&issuer, Key::Rsa(2048), name, "", "", -86400, 5LL * 365 * 86400, true, true, true);
}

Cert Issue(const Cert& issuer, const CertOptions& o) {
  return Build(&issuer, o.key.value_or(SharedRsaKey()), o.common_name, o.serial_number,
               o.organization_identifier, o.not_before_offset_s, o.not_after_offset_s, false,
               o.key_usage, o.digital_signature);
}

std::string Crl(const Cert& ca, const std::vector<Cert>& revoked) {
  std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> crl(X509_CRL_new(), X509_CRL_free);
  X509_CRL_set_version(crl.get(), 1);
  X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca.x509.get()));
  std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> last(
      ASN1_TIME_adj(nullptr, std::time(nullptr), 0, -3600), ASN1_TIME_free);
  std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> next(
      ASN1_TIME_adj(nullptr, std::time(nullptr), 7, 0), ASN1_TIME_free);
  X509_CRL_set1_lastUpdate(crl.get(), last.get());
  X509_CRL_set1_nextUpdate(crl.get(), next.get());
  for (const auto& r : revoked) {
    X509_REVOKED* entry = X509_REVOKED_new();
    X509_REVOKED_set_serialNumber(entry, X509_get_serialNumber(r.x509.get()));
    X509_REVOKED_set_revocationDate(entry, last.get());
    X509_CRL_add0_revoked(crl.get(), entry);
  }
  X509_CRL_sort(crl.get());
  Check(X509_CRL_sign(crl.get(), ca.key.pkey.get(), EVP_sha256()) > 0, "X509_CRL_sign");
  return PemText([&](BIO* bio) { return PEM_write_bio_X509_CRL(bio, crl.get()); },
                 "PEM_write_bio_X509_CRL");
}

std::string SignJwt(const std::string& header_json, const std::string& claims_json, const Key& key,
                    const std::string& alg) {
  const std::string input = B64Url(header_json) + "." + B64Url(claims_json);
  const EVP_MD* md = alg.find("256") != std::string::npos   ? EVP_sha256()
                     : alg.find("384") != std::string::npos ? EVP_sha384()
                                                            : EVP_sha512();
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_PKEY_CTX* pctx = nullptr;
  Check(EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, key.pkey.get()) == 1,
        "EVP_DigestSignInit");
  if (alg.rfind("PS", 0) == 0) {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
  }
  std::size_t len = 0;
  Check(EVP_DigestSign(ctx.get(), nullptr, &len,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1,
        "EVP_DigestSign");
  std::string sig(len, '\0');
  Check(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1,
        "EVP_DigestSign");
  sig.resize(len);
  if (alg.rfind("ES", 0) == 0) {
    // DER to JOSE's R||S.
    const std::size_t half = alg == "ES256" ? 32 : 48;
    const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    Check(es != nullptr, "d2i_ECDSA_SIG");
    std::string raw(2 * half, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()),
                 static_cast<int>(half));
    BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data() + half),
                 static_cast<int>(half));
    ECDSA_SIG_free(es);
    sig = raw;
  }
  return input + "." + B64Url(sig);
}

std::string SignHs256(const std::string& header_json, const std::string& claims_json,
                      const std::string& secret) {
  const std::string input = B64Url(header_json) + "." + B64Url(claims_json);
  return input + "." + B64Url(crypto::HmacSha256(secret, input));
}

std::string Unsigned(const std::string& header_json, const std::string& claims_json) {
  return B64Url(header_json) + "." + B64Url(claims_json) + ".";
}

std::string AssertionClaims(const std::string& client_id, const std::string& aud,
                            int64_t iat_offset_s, int64_t lifetime_s, std::string jti) {
  const int64_t iat = static_cast<int64_t>(std::time(nullptr)) + iat_offset_s;
  if (jti.empty()) jti = crypto::NewUuid();
  return R"({"iss":")" + client_id + R"(","sub":")" + client_id + R"(","aud":")" + aud +
         R"(","iat":)" + std::to_string(iat) + R"(,"exp":)" + std::to_string(iat + lifetime_s) +
         R"(,"jti":")" + jti + "\"}";
}

std::string WriteTempFile(const std::string& name, const std::string& text) {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/onboard-pki-XXXXXX";
    const char* d = mkdtemp(tmpl);
    Check(d != nullptr, "mkdtemp");
    return std::string(d);
  }();
  const std::string path = dir + "/" + name;
  std::ofstream out(path, std::ios::binary);
  out << text;
  Check(static_cast<bool>(out), "writing a temp file");
  return path;
}

}  // namespace onboard::testsupport::pki
