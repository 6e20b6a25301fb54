// Client assertion parsing and verification as POST /v1/provider/authenticate does it for
// private_key_jwt (ParseClientAssertion, VerifyClientAssertion), plus the Basic header and
// form decoding of the same endpoint. Each input is checked twice: as given (a mutated
// signature must never verify), and re-signed with the fuzzer's own key so that the claim
// rules after the signature check (iss, sub, aud, exp, iat, nbf, jti) are fuzzed too.
//
// The keys below are test-only keys generated for this fuzzer (the seeds in
// corpus/jwt_assertion are signed with them); they protect nothing.

#include <openssl/bio.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "crypto.hpp"
#include "error.hpp"
#include "fuzz_support.hpp"
#include "jose.hpp"
#include "provider_auth.hpp"

namespace {

namespace jose = onboard::domain::jose;
using onboard::domain::ClientAssertion;
using onboard::domain::ClientAuthFailure;
using onboard::domain::ClientRuntime;
using onboard::domain::RuntimeKey;

constexpr const char* kClientId = "00000000-0000-4000-8000-00000000f022";
constexpr const char* kAudience = "https://login.test.example.no";
constexpr int64_t kNow = 1798761601;  // one second after the seeds' iat

constexpr const char* kRsaKeyPem = R"(-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC43Us68qDGOynk
nPfkJsJJLqJiBIKc9haU4zxP+0H+OwLtO3X9e1kkLzTXhcMAVW0pBILNeN4egX/9
zrgOPMm9qhzs/20xDeCGls/RNXQNq/Eb/6K3Rsr3MVfHlFpivwzIDLRbUX9Y3KVh
3TaQnHaarjE/HKXy1LBInKZAD4xDQipCHHzcQHay3t+IAJUQ3nCqfBd7L9O5v0rS
IrL6F1v3Z8iypQtaipN/tlegLBHFuH0AYs+mB6d34w197S2AedcdGbpnInLbsqdI
1N8uI6bMLOI9j+ljYpqyFkuQ8BMZEzit9xyIZI/cFseXfeBWO9ZLNdnqoYxkDlny
zD7PiDFZAgMBAAECggEAMx6Kf5X5TGeu2XdoexAWuJrrL1SU86d/LhO6KVnO8WjL
EePX6EzUJRPitlhYSH7W7TlAnGX4chIYXQxtTA6WMNraHdUyEhcGx+DrPaxc16z8
wuPJUIoEdR+RaPCGn/i5pZYRx5C9OMrm9q1vucRybaqOlqeq4f/bcXDT7jH+dNhd
8Be9QQuGppqWt0sMm3kcRWZMAGehCZVtV/3/uKE/HDBakzdaG/I668nlWhOurrXN
l/WfKEc5bluURpnzhi1CEK/SPqyoWSWusOyWndv5lvPrB/tUUCF8PVohMn8pi4CS
ZyY2ZtPTzwWznoCSY/6d9QbHHChAEATVNwu7IIKOIwKBgQDpWJA+vxYDmcJvZQbb
rM+oN7o8OstxCNhx4sf/E0sHy0rmK1uEIc0j5TOQvAHKdoI4zB3B8GIZWMOud1Yg
xJi6BF8CV0kejBW+1ATGtzuzMh6FwNOVokGf/MhBkp3gksVDDcB+luqAJInpALsl
w1u/I3Lhc93P7WoIlfUfm7PQbwKBgQDKz8zvado17ihHOqlDbj8j5LKChdHrhTXT
zu/p4CGP7TPruTskrIFqhJUqxvdO1xOudPbUJazgZ6VOSKXA01iKC3lAqxT2WNY6
FuYRb/9CpTOToT1LTr0WqoHd8IAtW/W+T+BtCccKIdsiEPvibCfYNupjMcn0o5tP
I7cWqrnutwKBgQCB1oecglLLehjYRsyEGyoIncmAje55XMSiyd8irSeIlLN+Uw2+
/dfZa0U/+Xy9nSdkVx8PtKPBGsT3JOvFm96nUptTACJtXuESp4Jo17feQ7r8DYkt
r3T4gn0jD2PNe51LbDF5vpuI5cve3EtF/efk+OKJVCFN+vqPAHG+PrLU/QKBgFDj
3q4ivvjBm2kFeZs+boqHXbd3XkmcoOJw5/mU/m3kQtAi2fb/osJ0TPZ50wur9tqf
Jg9pU3FRhXoauZmV8ftlJiBn2/2BYzhaB7suu1W+hDq+la7iocJXkWKO2OC+i94z
B6UVwEBHTppgwcYGM0ImbQfRROaBFqHS8eRlhbEzAoGBAKYadap6L04RLJXz2w6c
kcflkqJHOkXnbP/vPdcmnpKfBun+Vbd6i6N8gGhUGraX7sKwFRIcHAQQnc8htJOq
gvPeHGFSitpPqXuBu5AgJ/kWCc5rueZA1XZ4RtHHBZFd+JYkNw5kQi9/Z1wC3HOt
idy8xC1pmFYu3R4nftmWTlwa
-----END PRIVATE KEY-----
)";
constexpr const char* kEcKeyPem = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgiqN5INO31mtRT8PX
SYfGkMWfyZykRRGUM9wUGqsF2gyhRANCAAQ506rePv1NH5HI05sbfD/m/n6WEpf8
H1Cv6G94oUNE3IzRPsMxj6cbn3VyNtPBZBf+tMHdRJc6d4dm40lDJRDR
-----END PRIVATE KEY-----
)";
constexpr const char* kRsaCertPem = R"(-----BEGIN CERTIFICATE-----
MIIDITCCAgmgAwIBAgICA+kwDQYJKoZIhvcNAQELBQAwQDELMAkGA1UEBhMCTk8x
FTATBgNVBAoMDEZ1enogVGVzdCBDQTEaMBgGA1UEAwwRRnV6eiBUZXN0IFJvb3Qg
Q0EwHhcNMjYwMTAxMDAwMDAwWhcNMzYwMTAxMDAwMDAwWjBFMQswCQYDVQQGEwJO
TzEQMA4GA1UECgwHRlVaWiBBUzESMBAGA1UEBRMJOTEwMDAwMDA2MRAwDgYDVQQD
DAdGVVpaIEFTMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuN1LOvKg
xjsp5Jz35CbCSS6iYgSCnPYWlOM8T/tB/jsC7Tt1/XtZJC8014XDAFVtKQSCzXje
HoF//c64DjzJvaoc7P9tMQ3ghpbP0TV0DavxG/+it0bK9zFXx5RaYr8MyAy0W1F/
WNylYd02kJx2mq4xPxyl8tSwSJymQA+MQ0IqQhx83EB2st7fiACVEN5wqnwXey/T
ub9K0iKy+hdb92fIsqULWoqTf7ZXoCwRxbh9AGLPpgend+MNfe0tgHnXHRm6ZyJy
27KnSNTfLiOmzCziPY/pY2KashZLkPATGRM4rfcciGSP3BbHl33gVjvWSzXZ6qGM
ZA5Z8sw+z4gxWQIDAQABoyAwHjAMBgNVHRMBAf8EAjAAMA4GA1UdDwEB/wQEAwIG
wDANBgkqhkiG9w0BAQsFAAOCAQEAZkwNGnWvxPjp+LDf/p8HQc41/sItcKUQqSIs
RLIs9vab0oKpAJn5IqXHApuUyHufFrjH+6j+gpmMRDHkS1pZzDM7v6joq/vsNH0k
bNZBu0/iKGIy2nexq2MdgwgNI2U9/pZuZuYZvz/eSi+zwsRmaIIxmq6WVWEhhAEr
ACmCVJobOQg7EDyH7hT9iNupBabyFzdOduLrmWKLBWzXhA4Qw6SpR5P7ng+GcBj1
b7ZoQ5ggE8ScM/XR9LEegthJfm4e0cwZ+CDr8MnLG9ODzL3ZJ7XhLl28lyYE9Sa/
KB6mJ7N4zkpViNO7mLiCEtrWxl6hpZWLVB8eyuE0tnuhsxrQgQ==
-----END CERTIFICATE-----
)";

using onboard::fuzz::Owned;
using onboard::fuzz::Require;
using BioPtr = Owned<BIO, BIO_free>;

jose::PublicKey PrivateKey(const char* pem) {
  BioPtr bio(BIO_new_mem_buf(pem, -1));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  Require(key != nullptr);
  return jose::PublicKey(key, jose::PkeyDeleter());
}

std::string CertDer(const char* pem) {
  BioPtr bio(BIO_new_mem_buf(pem, -1));
  Owned<X509, X509_free> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  Require(cert != nullptr);
  unsigned char* out = nullptr;
  const int n = i2d_X509(cert.get(), &out);
  Require(n > 0);
  std::string der(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
  OPENSSL_free(out);
  return der;
}

struct Fixture {
  jose::PublicKey rsa = PrivateKey(kRsaKeyPem);
  jose::PublicKey ec = PrivateKey(kEcKeyPem);
  ClientRuntime client;
  std::vector<std::string> audiences = {kAudience};
  onboard::domain::AssertionPolicy policy;

  Fixture() {
    client.client_id = kClientId;
    client.method = onboard::domain::AuthMethod::kPrivateKeyJwt;
    // The bound certificate (by kid or by the x5c thumbprint), a bare EC JWK, a key
    // registered for one alg only, and an expired key. A private key verifies like its
    // public half.
    RuntimeKey cert;
    cert.key_id = "k1";
    cert.kid = "rsa-key";
    cert.thumbprint = jose::X5tS256(CertDer(kRsaCertPem));
    cert.not_before = kNow - 86400;
    cert.not_after = kNow + 86400 * 365;
    cert.key = rsa;
    RuntimeKey ec_key;
    ec_key.kid = "ec-key";
    ec_key.key = ec;
    RuntimeKey rs384_only = cert;
    rs384_only.key_id = "k2";
    rs384_only.kid = "rs384-key";
    rs384_only.thumbprint.clear();
    rs384_only.alg = "RS384";
    RuntimeKey expired = cert;
    expired.key_id = "k3";
    expired.kid = "expired-key";
    expired.thumbprint.clear();
    expired.not_after = kNow - 1;
    client.keys = {cert, ec_key, rs384_only, expired};
    policy.algs = {jose::Alg::kRS256, jose::Alg::kRS384, jose::Alg::kRS512, jose::Alg::kPS256,
                   jose::Alg::kPS384, jose::Alg::kPS512, jose::Alg::kES256, jose::Alg::kES384};
  }
};

// A JWS signature over `input` with the fuzzer's key for `alg`; empty for algs it does not
// sign with (ES384: no P-384 key here).
std::string Sign(const Fixture& f, std::string_view alg, const std::string& input) {
  const EVP_MD* md = nullptr;
  EVP_PKEY* key = nullptr;
  bool pss = false, ecdsa = false;
  if (alg == "RS256" || alg == "PS256")
    md = EVP_sha256();
  else if (alg == "RS384" || alg == "PS384")
    md = EVP_sha384();
  else if (alg == "RS512" || alg == "PS512")
    md = EVP_sha512();
  else if (alg == "ES256")
    md = EVP_sha256(), ecdsa = true;
  else
    return {};
  pss = alg.rfind("PS", 0) == 0;
  key = ecdsa ? f.ec.get() : f.rsa.get();
  Owned<EVP_MD_CTX, EVP_MD_CTX_free> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  Require(EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, key) == 1);
  if (pss) {
    Require(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1);
    Require(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1);
  }
  std::size_t len = 0;
  Require(EVP_DigestSign(ctx.get(), nullptr, &len,
                         reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1);
  std::string sig(len, '\0');
  Require(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                         reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1);
  sig.resize(len);
  if (!ecdsa) return sig;
  // DER ECDSA-Sig-Value to the raw R || S of RFC 7518 section 3.4.
  const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
  Owned<ECDSA_SIG, ECDSA_SIG_free> es(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size())));
  Require(es != nullptr);
  std::string raw(64, '\0');
  Require(BN_bn2binpad(ECDSA_SIG_get0_r(es.get()), reinterpret_cast<unsigned char*>(raw.data()),
                       32) == 32);
  Require(BN_bn2binpad(ECDSA_SIG_get0_s(es.get()),
                       reinterpret_cast<unsigned char*>(raw.data()) + 32, 32) == 32);
  return raw;
}

// A verified assertion satisfies every rule the endpoint promises.
void RequireAccepted(const Fixture& f, const ClientAssertion& a, const RuntimeKey& key) {
  Require(a.alg != "none" && a.alg.rfind("HS", 0) != 0);
  Require(a.iss == kClientId && a.sub == kClientId);
  Require(std::find(a.aud.begin(), a.aud.end(), kAudience) != a.aud.end());
  Require(a.exp && a.iat && *a.exp > *a.iat && *a.exp - *a.iat <= f.policy.max_lifetime_s);
  Require(*a.exp + f.policy.skew_s > kNow && *a.iat <= kNow + f.policy.skew_s);
  Require(!a.jti.empty() && a.jti.size() <= onboard::domain::kMaxJtiLength);
  Require(key.kid != "expired-key");
  Require(key.alg.empty() || key.alg == a.alg);
  Require(a.kid.empty() ? !key.thumbprint.empty() : key.kid == a.kid);
}

void Verify(const Fixture& f, const ClientAssertion& a) {
  try {
    const RuntimeKey& key =
        onboard::domain::VerifyClientAssertion(a, f.client, f.audiences, f.policy, kNow);
    RequireAccepted(f, a, key);
  } catch (const ClientAuthFailure& e) {
    Require(e.error() == "invalid_client" && !e.description().empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Fixture fixture;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  ClientAssertion a;
  try {
    a = onboard::domain::ParseClientAssertion(input);
  } catch (const ClientAuthFailure& e) {
    Require(e.error() == "invalid_client" && !e.description().empty());
    a = {};
  }
  if (!a.signing_input.empty()) {
    Require(input.substr(0, a.signing_input.size()) == a.signing_input);
    Verify(fixture, a);
    const std::string signature = Sign(fixture, a.alg, a.signing_input);
    if (!signature.empty()) {
      a.signature = signature;
      Verify(fixture, a);
    }
  }

  // The other client authentications of the endpoint read the same bytes.
  try {
    auto [id, secret] = onboard::domain::ParseBasicCredentials(input);
    (void)id;
  } catch (const ClientAuthFailure& e) {
    Require(!e.description().empty());
  }
  try {
    (void)onboard::domain::FormUrlDecode(input);
  } catch (const ClientAuthFailure& e) {
    Require(e.error() == "invalid_request");
  }
  return 0;
}
