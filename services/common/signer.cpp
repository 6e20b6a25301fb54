#include "signer.hpp"

#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "c_handle.hpp"
#include "crypto.hpp"
#include "error.hpp"

namespace onboard::crypto {

namespace {
using PkeyPtr = CHandle<EVP_PKEY, EVP_PKEY_free>;
using BioPtr = CHandle<BIO, BIO_free>;
using MdCtxPtr = CHandle<EVP_MD_CTX, EVP_MD_CTX_free>;

std::string AlgorithmOf(const EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_ED25519:
      return "ed25519";
    case EVP_PKEY_RSA:
      return "rsa-sha256";
    default:
      return "";
  }
}

// Ed25519 signs the message itself (no digest); RSA signs SHA-256 of it.
const EVP_MD* DigestFor(std::string_view algorithm) {
  return algorithm == "rsa-sha256" ? EVP_sha256() : nullptr;
}
}  // namespace

struct Signer::Key {
  PkeyPtr pkey;
};

Signer::Signer(std::unique_ptr<Key> key) : key_(std::move(key)) {
  algorithm_ = AlgorithmOf(key_->pkey.get());
  if (algorithm_.empty()) throw std::runtime_error("the key is neither Ed25519 nor RSA");
  if (algorithm_ == "rsa-sha256" && EVP_PKEY_get_bits(key_->pkey.get()) < 2048) {
    throw std::runtime_error("an RSA key must have at least 2048 bits");
  }
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_->pkey.get()) != 1) {
    throw std::runtime_error("cannot encode the public key");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  public_pem_.assign(data, static_cast<std::size_t>(len));
  unsigned char* der = nullptr;
  const int der_len = i2d_PUBKEY(key_->pkey.get(), &der);
  if (der_len <= 0) throw std::runtime_error("cannot encode the public key");
  key_id_ = Sha256Hex(std::string_view(reinterpret_cast<const char*>(der),
                                       static_cast<std::size_t>(der_len)))
                .substr(0, 16);
  OPENSSL_free(der);
}

Signer::Signer(Signer&&) noexcept = default;
Signer& Signer::operator=(Signer&&) noexcept = default;
Signer::~Signer() = default;

Signer Signer::FromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) throw std::runtime_error("out of memory");
  auto key = std::make_unique<Key>();
  key->pkey.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key->pkey) throw std::runtime_error("not a PEM private key");
  return Signer(std::move(key));
}

Signer Signer::FromPemFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw std::runtime_error("cannot read " + path);
  if ((st.st_mode & 077) != 0)
    throw std::runtime_error(path + " must not be readable by group or others (chmod 600)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    Signer s = FromPem(pem);
    Cleanse(pem);
    return s;
  } catch (const std::runtime_error& e) {
    Cleanse(pem);
    throw std::runtime_error(path + ": " + e.what());
  }
}

std::string Signer::Sign(std::string_view data) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, DigestFor(algorithm_), nullptr,
                                 key_->pkey.get()) != 1) {
    throw AppError(ErrorCode::kInternal, "internal error", "EVP_DigestSignInit failed");
  }
  std::size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  if (EVP_DigestSign(ctx.get(), nullptr, &len, in, data.size()) != 1) {
    throw AppError(ErrorCode::kInternal, "internal error", "EVP_DigestSign (length) failed");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in,
                     data.size()) != 1) {
    throw AppError(ErrorCode::kInternal, "internal error", "EVP_DigestSign failed");
  }
  sig.resize(len);
  return sig;
}

bool VerifySignature(std::string_view public_key_pem, std::string_view algorithm,
                     std::string_view data, std::string_view signature) noexcept {
  BioPtr bio(BIO_new_mem_buf(public_key_pem.data(), static_cast<int>(public_key_pem.size())));
  if (!bio) return false;
  PkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key || AlgorithmOf(key.get()) != algorithm) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, DigestFor(algorithm), nullptr, key.get()) != 1)
    return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                          data.size()) == 1;
}

}  // namespace onboard::crypto
