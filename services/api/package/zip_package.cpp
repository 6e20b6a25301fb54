#include "zip_package.hpp"

// SHA1_Init/Update/Final/Transform and SHA_CTX are deprecated in OpenSSL 3 in favour of
// EVP_MD, whose per-call context copies are exactly the cost Pbkdf2HmacSha1 avoids.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <zip.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>

#include "c_handle.hpp"
#include "error.hpp"

namespace onboard::package {

namespace {

using ZipPtr = CHandle<zip_t, zip_discard>;
using ZipSourcePtr = CHandle<zip_source_t, zip_source_free>;

[[noreturn]] void Fail(const std::string& what, const char* why) {
  throw AppError(ErrorCode::kInternal, "internal error",
                 "libzip: " + what + ": " + (why ? why : "failed"));
}

std::atomic<unsigned long> g_derivations{0};

// The SHA-1 digest held in a context's chaining values (after a whole number of blocks).
void DigestOf(const SHA_CTX& c, unsigned char* out) noexcept {
  const SHA_LONG h[5] = {c.h0, c.h1, c.h2, c.h3, c.h4};
  for (int i = 0; i < 5; ++i) {
    out[4 * i] = static_cast<unsigned char>(h[i] >> 24);
    out[4 * i + 1] = static_cast<unsigned char>(h[i] >> 16);
    out[4 * i + 2] = static_cast<unsigned char>(h[i] >> 8);
    out[4 * i + 3] = static_cast<unsigned char>(h[i]);
  }
}

#if defined(__x86_64__)
// The PBKDF2 iterations with the x86 SHA extensions, every value in registers: an
// iteration's message is the previous digest plus fixed padding, so the words go from one
// compression to the next without a trip through memory (OpenSSL's SHA1_Transform takes
// its state from memory and hands it back there, and the store-to-load round trip on each
// of the 2 * 1,000 compressions of each output block cost more than the compression).
// Values are in the extensions' order: A in lane 3 of `abcd`, E in lane 3 of `e`.

bool HaveShaExtensions() noexcept {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid(1, &a, &b, &c, &d) == 0) return false;
  const bool ssse3 = (c & (1u << 9)) != 0, sse41 = (c & (1u << 19)) != 0;
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0) return false;
  return ssse3 && sse41 && (b & (1u << 29)) != 0;
}

struct Sha1State {
  __m128i abcd;
  __m128i e;
};

// One SHA-1 compression of the message words in m0..m3 (W0 in lane 3 of m0) from `s`.
__attribute__((target("sha,sse4.1"))) inline Sha1State Compress(Sha1State s, __m128i m0, __m128i m1,
                                                                __m128i m2, __m128i m3) noexcept {
  const __m128i abcd_save = s.abcd, e_save = s.e;
  __m128i abcd = s.abcd, e0 = s.e, e1;
  // Rounds 0-15
  e0 = _mm_add_epi32(e0, m0);
  e1 = abcd;
  abcd = _mm_sha1rnds4_epu32(abcd, e0, 0);
  e1 = _mm_sha1nexte_epu32(e1, m1);
  e0 = abcd;
  abcd = _mm_sha1rnds4_epu32(abcd, e1, 0);
  m0 = _mm_sha1msg1_epu32(m0, m1);
  e0 = _mm_sha1nexte_epu32(e0, m2);
  e1 = abcd;
  abcd = _mm_sha1rnds4_epu32(abcd, e0, 0);
  m1 = _mm_sha1msg1_epu32(m1, m2);
  m0 = _mm_xor_si128(m0, m2);
  e1 = _mm_sha1nexte_epu32(e1, m3);
  e0 = abcd;
  m0 = _mm_sha1msg2_epu32(m0, m3);
  abcd = _mm_sha1rnds4_epu32(abcd, e1, 0);
  m2 = _mm_sha1msg1_epu32(m2, m3);
  m1 = _mm_xor_si128(m1, m3);
  // Rounds 16-67: four rounds a step, the message schedule rotating through m0..m3.
#define ONBOARD_SHA1_STEP(ea, eb, ma, mb, mc, md, f) \
  ea = _mm_sha1nexte_epu32(ea, ma);                  \
  eb = abcd;                                         \
  mb = _mm_sha1msg2_epu32(mb, ma);                   \
  abcd = _mm_sha1rnds4_epu32(abcd, ea, f);           \
  md = _mm_sha1msg1_epu32(md, ma);                   \
  mc = _mm_xor_si128(mc, ma);
  ONBOARD_SHA1_STEP(e0, e1, m0, m1, m2, m3, 0)  // 16-19
  ONBOARD_SHA1_STEP(e1, e0, m1, m2, m3, m0, 1)  // 20-23
  ONBOARD_SHA1_STEP(e0, e1, m2, m3, m0, m1, 1)  // 24-27
  ONBOARD_SHA1_STEP(e1, e0, m3, m0, m1, m2, 1)  // 28-31
  ONBOARD_SHA1_STEP(e0, e1, m0, m1, m2, m3, 1)  // 32-35
  ONBOARD_SHA1_STEP(e1, e0, m1, m2, m3, m0, 1)  // 36-39
  ONBOARD_SHA1_STEP(e0, e1, m2, m3, m0, m1, 2)  // 40-43
  ONBOARD_SHA1_STEP(e1, e0, m3, m0, m1, m2, 2)  // 44-47
  ONBOARD_SHA1_STEP(e0, e1, m0, m1, m2, m3, 2)  // 48-51
  ONBOARD_SHA1_STEP(e1, e0, m1, m2, m3, m0, 2)  // 52-55
  ONBOARD_SHA1_STEP(e0, e1, m2, m3, m0, m1, 2)  // 56-59
  ONBOARD_SHA1_STEP(e1, e0, m3, m0, m1, m2, 3)  // 60-63
  ONBOARD_SHA1_STEP(e0, e1, m0, m1, m2, m3, 3)  // 64-67
#undef ONBOARD_SHA1_STEP
  // Rounds 68-79
  e1 = _mm_sha1nexte_epu32(e1, m1);
  e0 = abcd;
  m2 = _mm_sha1msg2_epu32(m2, m1);
  abcd = _mm_sha1rnds4_epu32(abcd, e1, 3);
  m3 = _mm_xor_si128(m3, m1);
  e0 = _mm_sha1nexte_epu32(e0, m2);
  e1 = abcd;
  m3 = _mm_sha1msg2_epu32(m3, m2);
  abcd = _mm_sha1rnds4_epu32(abcd, e0, 3);
  e1 = _mm_sha1nexte_epu32(e1, m3);
  e0 = abcd;
  abcd = _mm_sha1rnds4_epu32(abcd, e1, 3);
  // Add the chaining values; e0's other lanes stay e_save's zeros.
  return {_mm_add_epi32(abcd, abcd_save), _mm_sha1nexte_epu32(e0, e_save)};
}

Sha1State StateOf(const SHA_CTX& c) noexcept {
  return {_mm_set_epi32(static_cast<int>(c.h0), static_cast<int>(c.h1), static_cast<int>(c.h2),
                        static_cast<int>(c.h3)),
          _mm_set_epi32(static_cast<int>(c.h4), 0, 0, 0)};
}

uint32_t Be32(const unsigned char* p) noexcept {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// Iterations 2..`iterations` of the output blocks whose first values are in u[0..lanes)
// (digest bytes), XORed into t[0..lanes) (starting as u), for the HMAC key states inner
// and outer.
__attribute__((target("sha,sse4.1"))) void IterateWithShaExtensions(
    const SHA_CTX& inner, const SHA_CTX& outer, int iterations, std::size_t lanes,
    unsigned char (*u)[SHA_DIGEST_LENGTH], unsigned char (*t)[SHA_DIGEST_LENGTH]) noexcept {
  constexpr std::size_t kLanes = 4;
  const Sha1State in = StateOf(inner), out = StateOf(outer);
  // The padding of a 20-byte message after the key's block: W5 = 0x80000000, W15 = its
  // bit length (64 + 20 bytes).
  const __m128i pad1 = _mm_set_epi32(0, static_cast<int>(0x80000000u), 0, 0);
  const __m128i zero = _mm_setzero_si128();
  const __m128i length = _mm_set_epi32(0, 0, 0, (SHA_CBLOCK + SHA_DIGEST_LENGTH) * 8);
  Sha1State v[kLanes], acc[kLanes];
  for (std::size_t k = 0; k < lanes; ++k) {
    v[k] = {_mm_set_epi32(static_cast<int>(Be32(u[k])), static_cast<int>(Be32(u[k] + 4)),
                          static_cast<int>(Be32(u[k] + 8)), static_cast<int>(Be32(u[k] + 12))),
            _mm_set_epi32(static_cast<int>(Be32(u[k] + 16)), 0, 0, 0)};
    acc[k] = v[k];
  }
  for (int j = 1; j < iterations; ++j) {
    for (std::size_t k = 0; k < lanes; ++k) {
      const Sha1State h = Compress(in, v[k].abcd, _mm_or_si128(v[k].e, pad1), zero, length);
      v[k] = Compress(out, h.abcd, _mm_or_si128(h.e, pad1), zero, length);
      acc[k].abcd = _mm_xor_si128(acc[k].abcd, v[k].abcd);
      acc[k].e = _mm_xor_si128(acc[k].e, v[k].e);
    }
  }
  for (std::size_t k = 0; k < lanes; ++k) {
    alignas(16) uint32_t w[4];
    _mm_store_si128(reinterpret_cast<__m128i*>(w), acc[k].abcd);  // w[3] = A ... w[0] = D
    const uint32_t words[5] = {w[3], w[2], w[1], w[0],
                               static_cast<uint32_t>(_mm_extract_epi32(acc[k].e, 3))};
    for (int i = 0; i < 5; ++i) {
      t[k][4 * i] = static_cast<unsigned char>(words[i] >> 24);
      t[k][4 * i + 1] = static_cast<unsigned char>(words[i] >> 16);
      t[k][4 * i + 2] = static_cast<unsigned char>(words[i] >> 8);
      t[k][4 * i + 3] = static_cast<unsigned char>(words[i]);
    }
    OPENSSL_cleanse(w, sizeof w);
  }
  OPENSSL_cleanse(v, sizeof v);
  OPENSSL_cleanse(acc, sizeof acc);
}

const bool kHaveShaExtensions = HaveShaExtensions();
std::atomic<bool> g_sha_extensions{kHaveShaExtensions};
#endif

}  // namespace

bool Pbkdf2HmacSha1(const unsigned char* password, std::size_t password_len,
                    const unsigned char* salt, std::size_t salt_len, int iterations,
                    unsigned char* out, std::size_t out_len) noexcept {
  if (iterations < 1 || out == nullptr || out_len == 0 ||
      (password == nullptr && password_len != 0) || (salt == nullptr && salt_len != 0)) {
    return false;
  }
  g_derivations.fetch_add(1, std::memory_order_relaxed);
  unsigned char key[SHA_CBLOCK] = {};
  if (password_len > SHA_CBLOCK) {
    SHA1(password, password_len, key);
  } else if (password_len > 0) {
    std::memcpy(key, password, password_len);
  }
  unsigned char pad[SHA_CBLOCK];
  SHA_CTX inner, outer;
  for (int i = 0; i < SHA_CBLOCK; ++i) pad[i] = key[i] ^ 0x36;
  SHA1_Init(&inner);
  SHA1_Update(&inner, pad, sizeof pad);
  for (int i = 0; i < SHA_CBLOCK; ++i) pad[i] = key[i] ^ 0x5c;
  SHA1_Init(&outer);
  SHA1_Update(&outer, pad, sizeof pad);
  // Every HMAC after the first hashes one 20-byte value: after the key's block it is one
  // more block, the value padded (0x80, zeros, the bit length of 64 + 20 bytes).
  // The output's 20-byte blocks are independent chains of 2 * iterations compressions,
  // computed up to four at a time (66 bytes, what WinZip AES-256 derives, are four).
  constexpr std::size_t kLanes = 4;
  unsigned char block[kLanes][SHA_CBLOCK] = {};
  for (auto& b : block) {
    b[SHA_DIGEST_LENGTH] = 0x80;
    b[SHA_CBLOCK - 2] = ((SHA_CBLOCK + SHA_DIGEST_LENGTH) * 8) >> 8;
    b[SHA_CBLOCK - 1] = ((SHA_CBLOCK + SHA_DIGEST_LENGTH) * 8) & 0xff;
  }
  unsigned char u[kLanes][SHA_DIGEST_LENGTH], t[kLanes][SHA_DIGEST_LENGTH];
  SHA_CTX c[kLanes];
  const std::size_t blocks = (out_len + SHA_DIGEST_LENGTH - 1) / SHA_DIGEST_LENGTH;
  for (std::size_t first = 0; first < blocks; first += kLanes) {
    const std::size_t lanes = std::min(kLanes, blocks - first);
    bool iterations_done = false;
    for (std::size_t k = 0; k < lanes; ++k) {
      const auto index = static_cast<uint32_t>(first + k + 1);
      const unsigned char be[4] = {
          static_cast<unsigned char>(index >> 24), static_cast<unsigned char>(index >> 16),
          static_cast<unsigned char>(index >> 8), static_cast<unsigned char>(index)};
      c[k] = inner;
      SHA1_Update(&c[k], salt, salt_len);
      SHA1_Update(&c[k], be, sizeof be);
      SHA1_Final(u[k], &c[k]);
      c[k] = outer;
      SHA1_Update(&c[k], u[k], sizeof u[k]);
      SHA1_Final(u[k], &c[k]);
      std::memcpy(t[k], u[k], sizeof t[k]);
    }
#if defined(__x86_64__)
    if (g_sha_extensions.load(std::memory_order_relaxed)) {
      IterateWithShaExtensions(inner, outer, iterations, lanes, u, t);
      iterations_done = true;
    }
#endif
    for (int j = 1; !iterations_done && j < iterations; ++j) {
      for (std::size_t k = 0; k < lanes; ++k) {
        std::memcpy(block[k], u[k], sizeof u[k]);
        c[k] = inner;
        SHA1_Transform(&c[k], block[k]);
      }
      for (std::size_t k = 0; k < lanes; ++k) {
        DigestOf(c[k], block[k]);
        c[k] = outer;
        SHA1_Transform(&c[k], block[k]);
      }
      for (std::size_t k = 0; k < lanes; ++k) {
        DigestOf(c[k], u[k]);
        for (std::size_t i = 0; i < sizeof t[k]; ++i) t[k][i] ^= u[k][i];
      }
    }
    for (std::size_t k = 0; k < lanes; ++k) {
      const std::size_t at = (first + k) * SHA_DIGEST_LENGTH;
      std::memcpy(out + at, t[k], std::min(out_len - at, sizeof t[k]));
    }
  }
  OPENSSL_cleanse(key, sizeof key);
  OPENSSL_cleanse(pad, sizeof pad);
  OPENSSL_cleanse(block, sizeof block);
  OPENSSL_cleanse(u, sizeof u);
  OPENSSL_cleanse(t, sizeof t);
  OPENSSL_cleanse(&c, sizeof c);
  OPENSSL_cleanse(&inner, sizeof inner);
  OPENSSL_cleanse(&outer, sizeof outer);
  return true;
}

bool UseShaExtensions(bool use) noexcept {
#if defined(__x86_64__)
  g_sha_extensions.store(use && kHaveShaExtensions, std::memory_order_relaxed);
  return use && kHaveShaExtensions;
#else
  (void)use;
  return false;
#endif
}

unsigned long Pbkdf2Derivations() noexcept { return g_derivations.load(std::memory_order_relaxed); }

std::string BuildEncryptedZip(const std::vector<ZipEntry>& entries,
                              const crypto::SecretString& password) {
  if (!zip_encryption_method_supported(ZIP_EM_AES_256, 1))
    Fail("zip_encryption_method_supported", "no AES-256");
  zip_error_t error;
  zip_error_init(&error);
  CHandle<zip_error_t, zip_error_fini> error_guard(&error);

  // The archive is written into `sink`; zip_source_keep lets it outlive zip_close.
  ZipSourcePtr sink(zip_source_buffer_create(nullptr, 0, 0, &error));
  if (!sink) Fail("zip_source_buffer_create", zip_error_strerror(&error));
  zip_source_keep(sink.get());
  ZipPtr archive(zip_open_from_source(sink.get(), ZIP_TRUNCATE, &error));
  if (!archive) {
    zip_source_free(sink.get());  // drop the reference zip_open_from_source did not take
    Fail("zip_open_from_source", zip_error_strerror(&error));
  }
  for (const auto& entry : entries) {
    const std::string& data = entry.content.reveal();
    // libzip reads `data` at zip_close; the entries outlive this function's archive.
    ZipSourcePtr src(zip_source_buffer(archive.get(), data.data(), data.size(), 0));
    if (!src) Fail("zip_source_buffer", zip_strerror(archive.get()));
    const zip_int64_t index =
        zip_file_add(archive.get(), entry.name.c_str(), src.get(), ZIP_FL_ENC_UTF_8);
    if (index < 0) Fail("zip_file_add " + entry.name, zip_strerror(archive.get()));
    src.release();  // the archive owns it now
    const auto i = static_cast<zip_uint64_t>(index);
    if (zip_set_file_compression(archive.get(), i, ZIP_CM_DEFLATE, 9) != 0) {
      Fail("zip_set_file_compression", zip_strerror(archive.get()));
    }
    if (zip_file_set_encryption(archive.get(), i, ZIP_EM_AES_256, password.reveal().c_str()) != 0) {
      Fail("zip_file_set_encryption", zip_strerror(archive.get()));
    }
  }
  if (zip_close(archive.get()) != 0) Fail("zip_close", zip_strerror(archive.get()));
  archive.release();  // zip_close freed it

  if (zip_source_open(sink.get()) != 0)
    Fail("zip_source_open", zip_error_strerror(zip_source_error(sink.get())));
  struct Closer {
    zip_source_t* s;
    ~Closer() { zip_source_close(s); }
  } closer{sink.get()};
  if (zip_source_seek(sink.get(), 0, SEEK_END) != 0)
    Fail("zip_source_seek", zip_error_strerror(zip_source_error(sink.get())));
  const zip_int64_t size = zip_source_tell(sink.get());
  if (size <= 0) Fail("zip_source_tell", zip_error_strerror(zip_source_error(sink.get())));
  if (zip_source_seek(sink.get(), 0, SEEK_SET) != 0)
    Fail("zip_source_seek", zip_error_strerror(zip_source_error(sink.get())));
  std::string out(static_cast<std::size_t>(size), '\0');
  const zip_int64_t read = zip_source_read(sink.get(), out.data(), static_cast<zip_uint64_t>(size));
  if (read != size) Fail("zip_source_read", zip_error_strerror(zip_source_error(sink.get())));
  return out;
}

}  // namespace onboard::package

// libzip derives each file's WinZip AES keys with this OpenSSL function; defined here (in
// the program, which the dynamic linker searches before libcrypto) it runs the faster
// Pbkdf2HmacSha1 with the same result. Nothing else in onboard calls it.
extern "C" int PKCS5_PBKDF2_HMAC_SHA1(const char* pass, int passlen, const unsigned char* salt,
                                      int saltlen, int iter, int keylen, unsigned char* out) {
  if (pass != nullptr && passlen == -1) passlen = static_cast<int>(std::strlen(pass));
  if (pass == nullptr) passlen = 0;
  if (passlen < 0 || saltlen < 0 || keylen <= 0) return 0;
  return onboard::package::Pbkdf2HmacSha1(
             reinterpret_cast<const unsigned char*>(pass), static_cast<std::size_t>(passlen), salt,
             static_cast<std::size_t>(saltlen), iter, out, static_cast<std::size_t>(keylen))
             ? 1
             : 0;
}
