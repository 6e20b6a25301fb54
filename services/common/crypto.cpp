#include "crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <array>
#include <memory>

#include "c_handle.hpp"
#include "error.hpp"

namespace onboard::crypto {

namespace {

constexpr char kB64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kB64Std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Encode(std::string_view bytes, const char* table, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v =
        (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    out.push_back(table[(v >> 18) & 63]);
    out.push_back(table[(v >> 12) & 63]);
    out.push_back(table[(v >> 6) & 63]);
    out.push_back(table[v & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const uint32_t v = uint8_t(bytes[i]) << 16;
    out.push_back(table[(v >> 18) & 63]);
    out.push_back(table[(v >> 12) & 63]);
    if (pad) out.append("==");
  } else if (rest == 2) {
    const uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
    out.push_back(table[(v >> 18) & 63]);
    out.push_back(table[(v >> 12) & 63]);
    out.push_back(table[(v >> 6) & 63]);
    if (pad) out.push_back('=');
  }
  return out;
}

// Each byte's 6-bit value in either alphabet, or -1. Built at compile time.
constexpr std::array<int8_t, 256> kDecode = [] {
  std::array<int8_t, 256> table{};
  table.fill(-1);
  for (int i = 0; i < 64; ++i) {
    table[static_cast<unsigned char>(kB64Url[i])] = static_cast<int8_t>(i);
    table[static_cast<unsigned char>(kB64Std[i])] = static_cast<int8_t>(i);
  }
  return table;
}();

int DecodeChar(char c) { return kDecode[static_cast<unsigned char>(c)]; }

using CipherCtx = CHandle<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;

CipherCtx NewCipherCtx() {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) throw AppError(ErrorCode::kInternal, "internal error", "EVP_CIPHER_CTX_new failed");
  return ctx;
}

void Check(int rc, const char* what) {
  if (rc != 1)
    throw AppError(ErrorCode::kInternal, "internal error", std::string(what) + " failed");
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

void CheckKey(std::string_view key) {
  if (key.size() != kAesGcmKeyBytes) {
    throw AppError(ErrorCode::kInternal, "internal error", "AES-256-GCM key must be 32 bytes");
  }
}

}  // namespace

std::string RandomBytes(std::size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw AppError(ErrorCode::kInternal, "internal error", "RAND_bytes failed");
  }
  return out;
}

SecretString RandomToken(std::string_view prefix, std::size_t bytes) {
  std::string raw = RandomBytes(bytes);
  SecretString token(std::string(prefix) + Base64UrlEncode(raw));
  Cleanse(raw);
  return token;
}

std::string RandomFromAlphabet(std::string_view alphabet, std::size_t length) {
  if (alphabet.empty() || alphabet.size() > 256) {
    throw AppError(ErrorCode::kInternal, "internal error", "bad alphabet size");
  }
  // Largest multiple of the alphabet size that fits in a byte: bytes at or above it are
  // rejected so every character is equally likely.
  const unsigned limit = 256 - (256 % alphabet.size());
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    std::string buf = RandomBytes(length * 2);
    for (unsigned char b : buf) {
      if (b < limit && out.size() < length) out.push_back(alphabet[b % alphabet.size()]);
    }
    Cleanse(buf);
  }
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) { return Encode(bytes, kB64Url, false); }
std::string Base64Encode(std::string_view bytes) { return Encode(bytes, kB64Std, true); }

std::string Base64UrlDecode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  // Four characters give three bytes; a tail of two or three gives one or two (its spare
  // low bits are ignored), a tail of one is no encoding. On the provider path every
  // assertion's three parts come through here, so whole quads are decoded without a
  // branch per character and the bad-character check is made once per quad.
  const std::size_t quads = text.size() / 4, tail = text.size() % 4;
  std::string out(quads * 3 + (tail > 1 ? tail - 1 : 0), '\0');
  const char* in = text.data();
  char* o = out.data();
  for (std::size_t q = 0; q < quads; ++q, in += 4, o += 3) {
    const int a = DecodeChar(in[0]), b = DecodeChar(in[1]), c = DecodeChar(in[2]),
              d = DecodeChar(in[3]);
    if ((a | b | c | d) < 0) throw AppError(ErrorCode::kBadRequest, "invalid base64url encoding");
    const uint32_t v = static_cast<uint32_t>(a) << 18 | static_cast<uint32_t>(b) << 12 |
                       static_cast<uint32_t>(c) << 6 | static_cast<uint32_t>(d);
    o[0] = static_cast<char>(v >> 16);
    o[1] = static_cast<char>(v >> 8 & 0xFF);
    o[2] = static_cast<char>(v & 0xFF);
  }
  uint32_t acc = 0;
  for (std::size_t i = 0; i < tail; ++i) {
    const int v = DecodeChar(in[i]);
    if (v < 0) throw AppError(ErrorCode::kBadRequest, "invalid base64url encoding");
    acc = acc << 6 | static_cast<uint32_t>(v);
  }
  if (tail == 1) throw AppError(ErrorCode::kBadRequest, "invalid base64url length");
  if (tail == 2) o[0] = static_cast<char>(acc >> 4);
  if (tail == 3) {
    o[0] = static_cast<char>(acc >> 10);
    o[1] = static_cast<char>(acc >> 2 & 0xFF);
  }
  return out;
}

namespace {

// OpenSSL 3 looks an algorithm up (locks, property queries) on every call that names it
// with EVP_sha256() or through HMAC(); on the provider path, which hashes on every request,
// that lookup cost more than the hash. Fetched once per process, kept for its lifetime.
const EVP_MD* FetchedSha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md != nullptr ? md : EVP_sha256();
}

// One HMAC-SHA256 context per thread, with its digest set once; each call only keys it.
EVP_MAC_CTX* ThreadHmacSha256() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  thread_local CHandle<EVP_MAC_CTX, EVP_MAC_CTX_free> ctx = [] {
    CHandle<EVP_MAC_CTX, EVP_MAC_CTX_free> c(mac != nullptr ? EVP_MAC_CTX_new(mac) : nullptr);
    if (c) {
      char digest[] = "SHA256";
      const OSSL_PARAM params[] = {
          OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
          OSSL_PARAM_construct_end()};
      if (EVP_MAC_CTX_set_params(c.get(), params) != 1) c.reset();
    }
    return c;
  }();
  return ctx.get();
}

}  // namespace

std::string Sha256(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md.data(), &len, FetchedSha256(), nullptr) != 1) {
    throw AppError(ErrorCode::kInternal, "internal error", "EVP_Digest failed");
  }
  return std::string(reinterpret_cast<const char*>(md.data()), len);
}

std::string Sha256Hex(std::string_view data) { return Hex(Sha256(data)); }

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  // An empty key would tell EVP_MAC_init to keep the previous call's key: HMAC() then.
  if (EVP_MAC_CTX* ctx = key.empty() ? nullptr : ThreadHmacSha256()) {
    std::size_t out = 0;
    if (EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                     nullptr) == 1 &&
        EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) ==
            1 &&
        EVP_MAC_final(ctx, md.data(), &out, md.size()) == 1) {
      return std::string(reinterpret_cast<const char*>(md.data()), out);
    }
    throw AppError(ErrorCode::kInternal, "internal error", "HMAC failed");
  }
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), md.data(),
           &len) == nullptr) {
    throw AppError(ErrorCode::kInternal, "internal error", "HMAC failed");
  }
  return std::string(reinterpret_cast<const char*>(md.data()), len);
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void Cleanse(std::string& s) noexcept {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
  if (this != &other) {
    Cleanse(value_);
    value_ = std::move(other.value_);
    other.value_.clear();
  }
  return *this;
}

std::string NewUuid() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1)
    throw AppError(ErrorCode::kInternal, "internal error", "RAND_bytes failed");
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  std::size_t o = 0;
  for (std::size_t i = 0; i < 16; ++i) {
    if (o == 8 || o == 13 || o == 18 || o == 23) ++o;
    out[o++] = kHex[b[i] >> 4];
    out[o++] = kHex[b[i] & 0x0F];
  }
  return out;
}

namespace {

// An AES-256-GCM context keyed with `key` and the 12-byte `nonce`, to seal (`seal`) or to
// open, with `aad` already authenticated. OpenSSL's EVP_Cipher* calls serve both directions.
CipherCtx GcmContext(bool seal, std::string_view key, const unsigned char* nonce,
                     std::string_view aad) {
  const int enc = seal ? 1 : 0;
  CipherCtx ctx = NewCipherCtx();
  Check(EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr, enc),
        "EVP_CipherInit_ex");
  Check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kAesGcmNonceBytes),
                            nullptr),
        "EVP_CTRL_GCM_SET_IVLEN");
  Check(EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, Bytes(key), nonce, enc),
        "EVP_CipherInit_ex(key)");
  int len = 0;
  if (!aad.empty()) {
    Check(EVP_CipherUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())),
          "EVP_CipherUpdate(aad)");
  }
  return ctx;
}

// Runs `in` through `ctx` into `out`; returns the bytes written.
int GcmUpdate(EVP_CIPHER_CTX* ctx, unsigned char* out, std::string_view in) {
  int len = 0;
  if (!in.empty()) {
    Check(EVP_CipherUpdate(ctx, out, &len, Bytes(in), static_cast<int>(in.size())),
          "EVP_CipherUpdate");
  }
  return len;
}

}  // namespace

int HexDigitValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string SealAesGcm(std::string_view key, std::string_view plaintext, std::string_view aad) {
  CheckKey(key);
  if (plaintext.size() > static_cast<std::size_t>(INT32_MAX) - 64 ||
      aad.size() > static_cast<std::size_t>(INT32_MAX)) {
    throw AppError(ErrorCode::kInternal, "internal error", "AES-GCM input too large");
  }
  std::string out = RandomBytes(kAesGcmNonceBytes);
  out.resize(kAesGcmNonceBytes + plaintext.size() + kAesGcmTagBytes);
  auto* data = reinterpret_cast<unsigned char*>(out.data());
  CipherCtx ctx = GcmContext(true, key, data, aad);
  int written = GcmUpdate(ctx.get(), data + kAesGcmNonceBytes, plaintext);
  int len = 0;
  Check(EVP_CipherFinal_ex(ctx.get(), data + kAesGcmNonceBytes + written, &len),
        "EVP_CipherFinal_ex");
  written += len;
  if (static_cast<std::size_t>(written) != plaintext.size()) {
    throw AppError(ErrorCode::kInternal, "internal error", "AES-GCM produced an unexpected length");
  }
  Check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kAesGcmTagBytes),
                            data + kAesGcmNonceBytes + written),
        "EVP_CTRL_GCM_GET_TAG");
  return out;
}

SecretString OpenAesGcm(std::string_view key, std::string_view sealed, std::string_view aad) {
  CheckKey(key);
  if (sealed.size() < kAesGcmNonceBytes + kAesGcmTagBytes ||
      sealed.size() > static_cast<std::size_t>(INT32_MAX) ||
      aad.size() > static_cast<std::size_t>(INT32_MAX)) {
    throw AppError(ErrorCode::kInternal, "internal error", "sealed value has a bad length");
  }
  const std::string_view nonce = sealed.substr(0, kAesGcmNonceBytes);
  const std::string_view body =
      sealed.substr(kAesGcmNonceBytes, sealed.size() - kAesGcmNonceBytes - kAesGcmTagBytes);
  std::string tag(sealed.substr(sealed.size() - kAesGcmTagBytes));
  std::string plain(body.size(), '\0');
  // Wipes the partial plaintext on every exit that does not hand it over.
  struct Wipe {
    std::string& s;
    bool armed = true;
    ~Wipe() {
      if (armed) Cleanse(s);
    }
  } wipe{plain};
  auto* out = reinterpret_cast<unsigned char*>(plain.data());
  CipherCtx ctx = GcmContext(false, key, Bytes(nonce), aad);
  int written = GcmUpdate(ctx.get(), out, body);
  Check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kAesGcmTagBytes),
                            tag.data()),
        "EVP_CTRL_GCM_SET_TAG");
  int len = 0;
  if (EVP_CipherFinal_ex(ctx.get(), out + written, &len) != 1) {
    throw AppError(ErrorCode::kInternal, "internal error", "AES-GCM tag did not verify");
  }
  written += len;
  plain.resize(static_cast<std::size_t>(written));
  wipe.armed = false;
  return SecretString(std::move(plain));
}

}  // namespace onboard::crypto
