// Certificate parsing as POST /v1/clients/{id}/certificates does it: the upload (PEM blocks
// or one DER certificate) split into DER certificates, the organisation number read from the
// subject, and every check of CheckCertificate. The last certificate of an upload of two or
// more is taken as the environment's trust anchor, so chains from the seeds verify and the
// checks after verification (key usage, key type and size, organisation number) are reached.

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "certificate.hpp"
#include "error.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace onboard::domain;
using onboard::AppError;
using onboard::fuzz::Require;
using X509Ptr = onboard::fuzz::Owned<X509, X509_free>;

// 2027-01-01T00:00:00Z: inside the seeds' validity (2026-2036), fixed so runs reproduce.
constexpr int64_t kNow = 1798761600;

// PEM text of a DER certificate, as an operator's CA bundle would hold it.
std::string PemOf(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  Require(x != nullptr);  // ReadCertificates returns only certificates that parse
  onboard::fuzz::Owned<BIO, BIO_free> bio(BIO_new(BIO_s_mem()));
  Require(PEM_write_bio_X509(bio.get(), x.get()) == 1);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

void Check(const std::vector<std::string>& chain, const TrustAnchors& anchors,
           const std::string& orgno, const CertificatePolicy& policy) {
  try {
    const auto checked = CheckCertificate(chain, anchors, orgno, policy, kNow, "test");
    Require(checked.orgno == orgno && checked.orgno.size() == 9);
    Require(!checked.thumbprint.empty() && checked.jwk.kid == checked.thumbprint);
    Require(checked.chain_der == chain && checked.der == chain.front());
    Require(checked.not_before <= kNow && kNow <= checked.not_after);
    Require(checked.jwk.x5c.size() == chain.size());
  } catch (const AppError& e) {
    // Every refusal is a validation error naming the failed check.
    Require(e.code() == onboard::ErrorCode::kValidation &&
            e.code_name().rfind("certificate_", 0) == 0);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const TrustAnchors kNoAnchors;
  std::vector<std::string> chain;
  try {
    chain = ReadCertificates(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const AppError& e) {
    Require(e.code() == onboard::ErrorCode::kValidation &&
            e.code_name() == "certificate_malformed");
    return 0;
  }
  Require(!chain.empty() && chain.size() <= 10);

  // The organisation number as the subject gives it (or none), then a client of another one.
  const auto* p = reinterpret_cast<const unsigned char*>(chain.front().data());
  X509Ptr leaf(d2i_X509(nullptr, &p, static_cast<long>(chain.front().size())));
  Require(leaf != nullptr);
  const auto orgno = onboard::domain::OrgnoOfSubject(X509_get_subject_name(leaf.get()));
  if (orgno) Require(orgno->size() == 9);
  const std::string expected = orgno.value_or("910000006");

  CertificatePolicy rsa_only;
  CertificatePolicy with_ec;
  with_ec.allow_ec = true;
  Check(chain, kNoAnchors, expected, rsa_only);
  if (chain.size() >= 2) {
    try {
      const TrustAnchors anchors = TrustAnchors::FromPem(PemOf(chain.back()), {});
      Check(chain, anchors, expected, with_ec);
      Check(chain, anchors, expected, rsa_only);
      Check(chain, anchors, "999999999", with_ec);
    } catch (const std::runtime_error&) {
      // A certificate OpenSSL will not take as an anchor: not a finding.
    }
  }
  return 0;
}
