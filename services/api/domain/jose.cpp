#include "jose.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <array>
#include <sstream>

#include "c_handle.hpp"
#include "crypto.hpp"
#include "enum_names.hpp"
#include "error.hpp"

namespace onboard::domain::jose {

namespace {

using BnPtr = CHandle<BIGNUM, BN_free>;
using ParamsPtr = CHandle<OSSL_PARAM, OSSL_PARAM_free>;

[[noreturn]] void InvalidJwk(const std::string& why) {
  throw AppError(ErrorCode::kValidation, "the key is not a usable public JWK: " + why, "",
                 {{"jwk", "invalid_jwk", why}}, "invalid_jwk");
}

std::string BnBytes(const BIGNUM* bn, int pad_to = 0) {
  const int len = std::max(BN_num_bytes(bn), pad_to);
  std::string out(static_cast<std::size_t>(len), '\0');
  if (BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), len) != len) {
    throw AppError(ErrorCode::kInternal, "internal error", "BN_bn2binpad failed");
  }
  return out;
}

BnPtr BnParam(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) return nullptr;
  return BnPtr(bn);
}

std::string GroupName(EVP_PKEY* key) {
  char name[64] = {0};
  std::size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof(name), &len) !=
      1)
    return {};
  return std::string(name, len);
}

std::string Decode(const std::string& text, const char* member) {
  if (text.empty()) InvalidJwk(std::string(member) + " is required");
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) InvalidJwk(std::string(member) + " must be base64url");
  }
  try {
    return crypto::Base64UrlDecode(text);
  } catch (const AppError&) {
    InvalidJwk(std::string(member) + " must be base64url");
  }
}

PublicKey FromParams(const char* type, OSSL_PARAM* params) {
  CHandle<EVP_PKEY_CTX, EVP_PKEY_CTX_free> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params) != 1 || key == nullptr) {
    InvalidJwk("the members do not make a key");
  }
  return PublicKey(key, PkeyDeleter());
}

const EVP_MD* DigestFor(Alg alg) noexcept {
  switch (alg) {
    case Alg::kRS256:
    case Alg::kPS256:
    case Alg::kES256:
      return EVP_sha256();
    case Alg::kRS384:
    case Alg::kPS384:
    case Alg::kES384:
      return EVP_sha384();
    case Alg::kRS512:
    case Alg::kPS512:
      return EVP_sha512();
  }
  return EVP_sha256();
}

}  // namespace

int KeyBits(EVP_PKEY* key) noexcept { return key == nullptr ? 0 : EVP_PKEY_get_bits(key); }

PublicJwk JwkFromKey(EVP_PKEY* key) {
  PublicJwk jwk;
  if (EVP_PKEY_is_a(key, "RSA")) {
    BnPtr n = BnParam(key, OSSL_PKEY_PARAM_RSA_N);
    BnPtr e = BnParam(key, OSSL_PKEY_PARAM_RSA_E);
    if (!n || !e)
      throw AppError(ErrorCode::kInternal, "internal error", "cannot read RSA parameters");
    jwk.kty = "RSA";
    jwk.alg = "RS256";
    jwk.n = crypto::Base64UrlEncode(BnBytes(n.get()));
    jwk.e = crypto::Base64UrlEncode(BnBytes(e.get()));
    return jwk;
  }
  if (EVP_PKEY_is_a(key, "EC")) {
    const std::string group = GroupName(key);
    int size = 0;
    if (group == "prime256v1" || group == "P-256") {
      jwk.crv = "P-256";
      jwk.alg = "ES256";
      size = 32;
    } else if (group == "secp384r1" || group == "P-384") {
      jwk.crv = "P-384";
      jwk.alg = "ES384";
      size = 48;
    } else {
      throw AppError(ErrorCode::kValidation, "only the EC curves P-256 and P-384 are supported", "",
                     {}, "unsupported_key");
    }
    BnPtr x = BnParam(key, OSSL_PKEY_PARAM_EC_PUB_X);
    BnPtr y = BnParam(key, OSSL_PKEY_PARAM_EC_PUB_Y);
    if (!x || !y)
      throw AppError(ErrorCode::kInternal, "internal error", "cannot read EC parameters");
    jwk.kty = "EC";
    jwk.x = crypto::Base64UrlEncode(BnBytes(x.get(), size));
    jwk.y = crypto::Base64UrlEncode(BnBytes(y.get(), size));
    return jwk;
  }
  throw AppError(ErrorCode::kValidation, "only RSA and EC keys are supported", "", {},
                 "unsupported_key");
}

PublicKey KeyFromJwk(const PublicJwk& jwk) {
  CHandle<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free> bld(OSSL_PARAM_BLD_new());
  if (!bld) throw AppError(ErrorCode::kInternal, "internal error", "OSSL_PARAM_BLD_new failed");
  if (jwk.kty == "RSA") {
    const std::string n = Decode(jwk.n, "n");
    const std::string e = Decode(jwk.e, "e");
    BnPtr bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()),
                         static_cast<int>(n.size()), nullptr));
    BnPtr bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()),
                         static_cast<int>(e.size()), nullptr));
    if (!bn_n || !bn_e ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
      InvalidJwk("n and e do not make an RSA key");
    }
    ParamsPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
    return FromParams("RSA", params.get());
  }
  if (jwk.kty == "EC") {
    std::string group;
    std::size_t size = 0;
    if (jwk.crv == "P-256") {
      group = "prime256v1";
      size = 32;
    } else if (jwk.crv == "P-384") {
      group = "secp384r1";
      size = 48;
    } else {
      InvalidJwk("crv must be P-256 or P-384");
    }
    const std::string x = Decode(jwk.x, "x");
    const std::string y = Decode(jwk.y, "y");
    if (x.size() != size || y.size() != size) InvalidJwk("x and y must match the curve's size");
    std::string point = "\x04" + x + y;
    if (OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group.c_str(), 0) !=
            1 ||
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                         point.size()) != 1) {
      InvalidJwk("x and y do not make an EC key");
    }
    ParamsPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
    return FromParams("EC", params.get());
  }
  InvalidJwk("kty must be RSA or EC");
}

std::string Rfc7638Thumbprint(const PublicJwk& jwk) {
  // Required members only, lexicographic order, no whitespace (RFC 7638 section 3.2).
  std::string canonical;
  if (jwk.kty == "EC") {
    canonical =
        R"({"crv":")" + jwk.crv + R"(","kty":"EC","x":")" + jwk.x + R"(","y":")" + jwk.y + "\"}";
  } else {
    canonical = R"({"e":")" + jwk.e + R"(","kty":")" + jwk.kty + R"(","n":")" + jwk.n + "\"}";
  }
  return crypto::Base64UrlEncode(crypto::Sha256(canonical));
}

std::string JwkJson(const PublicJwk& jwk) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("kty", jwk.kty);
  if (!jwk.kid.empty()) o.set("kid", jwk.kid);
  if (!jwk.use.empty()) o.set("use", jwk.use);
  if (!jwk.alg.empty()) o.set("alg", jwk.alg);
  if (jwk.kty == "EC") {
    o.set("crv", jwk.crv);
    o.set("x", jwk.x);
    o.set("y", jwk.y);
  } else {
    o.set("n", jwk.n);
    o.set("e", jwk.e);
  }
  if (!jwk.x5c.empty()) {
    Poco::JSON::Array chain;
    for (const auto& c : jwk.x5c) chain.add(c);
    o.set("x5c", chain);
  }
  if (!jwk.x5t_s256.empty()) o.set("x5t#S256", jwk.x5t_s256);
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

PublicJwk JwkFromMembers(const std::function<std::string(const char* name)>& member) {
  static constexpr std::pair<const char*, std::string PublicJwk::*> kMembers[] = {
      {"kty", &PublicJwk::kty},          {"kid", &PublicJwk::kid}, {"alg", &PublicJwk::alg},
      {"use", &PublicJwk::use},          {"n", &PublicJwk::n},     {"e", &PublicJwk::e},
      {"crv", &PublicJwk::crv},          {"x", &PublicJwk::x},     {"y", &PublicJwk::y},
      {"x5t#S256", &PublicJwk::x5t_s256}};
  PublicJwk jwk;
  for (const auto& [name, field] : kMembers) jwk.*field = member(name);
  return jwk;
}

PublicJwk ParseJwkJson(const std::string& json) {
  Poco::JSON::Object::Ptr o;
  try {
    Poco::JSON::Parser parser;
    o = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    InvalidJwk("not a JSON object");
  }
  PublicJwk jwk = JwkFromMembers([&](const char* k) { return o->optValue<std::string>(k, ""); });
  if (auto chain = o->getArray("x5c")) {
    for (std::size_t i = 0; i < chain->size(); ++i)
      jwk.x5c.push_back(chain->getElement<std::string>(static_cast<unsigned>(i)));
  }
  return jwk;
}

namespace {
constexpr EnumName<Alg> kAlgs[] = {
    {Alg::kRS256, "RS256"}, {Alg::kRS384, "RS384"}, {Alg::kRS512, "RS512"}, {Alg::kPS256, "PS256"},
    {Alg::kPS384, "PS384"}, {Alg::kPS512, "PS512"}, {Alg::kES256, "ES256"}, {Alg::kES384, "ES384"}};
}  // namespace

std::optional<Alg> AlgFromString(std::string_view name) noexcept { return ValueOf(kAlgs, name); }

std::string_view ToString(Alg alg) noexcept { return NameOf(kAlgs, alg, "RS256"); }

bool KeyFits(Alg alg, EVP_PKEY* key) noexcept {
  switch (alg) {
    case Alg::kRS256:
    case Alg::kRS384:
    case Alg::kRS512:
    case Alg::kPS256:
    case Alg::kPS384:
    case Alg::kPS512:
      return EVP_PKEY_is_a(key, "RSA") == 1;
    case Alg::kES256:
      return EVP_PKEY_is_a(key, "EC") == 1 && EVP_PKEY_get_bits(key) == 256;
    case Alg::kES384:
      return EVP_PKEY_is_a(key, "EC") == 1 && EVP_PKEY_get_bits(key) == 384;
  }
  return false;
}

namespace {

// OpenSSL 3 looks the digest and the signature algorithm up (locks, property queries) and
// builds a fresh key context on every EVP_DigestVerifyInit; on the provider path that cost
// as much as the RSA operation itself. Instead: the digests are fetched once per process,
// and each thread keeps a few verification contexts, initialised once per (key, alg) with
// the padding and digest set, and only calls EVP_PKEY_verify on them. A cached context
// holds a reference to its key, so a key's address cannot be reused by another key while
// its context is cached (the pointer identifies the key).
const EVP_MD* FetchedDigest(Alg alg) noexcept {
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  static EVP_MD* const sha384 = EVP_MD_fetch(nullptr, "SHA384", nullptr);
  static EVP_MD* const sha512 = EVP_MD_fetch(nullptr, "SHA512", nullptr);
  const EVP_MD* fetched = nullptr;
  switch (alg) {
    case Alg::kRS256:
    case Alg::kPS256:
    case Alg::kES256:
      fetched = sha256;
      break;
    case Alg::kRS384:
    case Alg::kPS384:
    case Alg::kES384:
      fetched = sha384;
      break;
    case Alg::kRS512:
    case Alg::kPS512:
      fetched = sha512;
      break;
  }
  return fetched != nullptr ? fetched : DigestFor(alg);
}

bool IsPss(Alg alg) noexcept {
  return alg == Alg::kPS256 || alg == Alg::kPS384 || alg == Alg::kPS512;
}

struct VerifierSlot {
  EVP_PKEY_CTX* ctx = nullptr;
  EVP_PKEY* key = nullptr;
  Alg alg = Alg::kRS256;
};

class ThreadVerifiers {
 public:
  ThreadVerifiers() = default;
  ThreadVerifiers(const ThreadVerifiers&) = delete;
  ThreadVerifiers& operator=(const ThreadVerifiers&) = delete;
  ~ThreadVerifiers() {
    for (auto& slot : slots_) EVP_PKEY_CTX_free(slot.ctx);
  }

  /// The thread's context for (key, alg), made on first use; nullptr when OpenSSL refuses.
  EVP_PKEY_CTX* For(Alg alg, EVP_PKEY* key) noexcept {
    for (const auto& slot : slots_) {
      if (slot.ctx != nullptr && slot.key == key && slot.alg == alg) return slot.ctx;
    }
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr);
    if (ctx == nullptr || EVP_PKEY_verify_init(ctx) != 1 ||
        EVP_PKEY_CTX_set_signature_md(ctx, FetchedDigest(alg)) != 1 ||
        (IsPss(alg) && (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) != 1 ||
                        EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) != 1))) {
      EVP_PKEY_CTX_free(ctx);
      return nullptr;
    }
    VerifierSlot& slot = slots_[next_];
    next_ = (next_ + 1) % slots_.size();
    EVP_PKEY_CTX_free(slot.ctx);
    slot = {ctx, key, alg};
    return ctx;
  }

 private:
  std::array<VerifierSlot, 8> slots_{};
  std::size_t next_ = 0;
};

}  // namespace

bool VerifySignature(Alg alg, EVP_PKEY* key, std::string_view signing_input,
                     std::string_view signature) noexcept {
  if (key == nullptr || !KeyFits(alg, key)) return false;
  std::string der;
  if (alg == Alg::kES256 || alg == Alg::kES384) {
    // JOSE carries R||S; OpenSSL verifies the DER form.
    const std::size_t half = alg == Alg::kES256 ? 32 : 48;
    if (signature.size() != 2 * half) return false;
    CHandle<ECDSA_SIG, ECDSA_SIG_free> sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()),
                          static_cast<int>(half), nullptr);
    BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data() + half),
                          static_cast<int>(half), nullptr);
    if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
      BN_free(r);
      BN_free(s);
      return false;
    }
    unsigned char* out = nullptr;
    const int len = i2d_ECDSA_SIG(sig.get(), &out);
    if (len <= 0) return false;
    der.assign(reinterpret_cast<const char*>(out), static_cast<std::size_t>(len));
    OPENSSL_free(out);
    signature = der;
  } else if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(key))) {
    // RFC 8017 8.1.2 / 8.2.2 step 1: an RSA signature is exactly k octets. OpenSSL's PSS
    // path takes a shorter one as the same integer (a leading zero octet dropped).
    return false;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_len = 0;
  if (EVP_Digest(signing_input.data(), signing_input.size(), digest.data(), &digest_len,
                 FetchedDigest(alg), nullptr) != 1) {
    return false;
  }
  thread_local ThreadVerifiers verifiers;
  EVP_PKEY_CTX* ctx = verifiers.For(alg, key);
  const bool ok = ctx != nullptr &&
                  EVP_PKEY_verify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                                  signature.size(), digest.data(), digest_len) == 1;
  if (!ok) ERR_clear_error();  // a refused signature leaves nothing in the thread's queue
  return ok;
}

std::string DerToX5c(std::string_view der) { return crypto::Base64Encode(der); }

std::string X5tS256(std::string_view der) { return crypto::Base64UrlEncode(crypto::Sha256(der)); }

}  // namespace onboard::domain::jose
