#include "zip_package.hpp"

// SHA1_Init/Update/Final/Transform and SHA_CTX are deprecated in OpenSSL 3 in favour of
// EVP_MD, whose per-call context copies are exactly the cost Pbkdf2HmacSha1 avoids.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <zip.h>

#include <atomic>
#include <cstring>
#include <memory>

#include "error.hpp"

namespace onboard::package {

namespace {

struct ZipDiscard {
  void operator()(zip_t* z) const noexcept { zip_discard(z); }
};
struct ZipSourceFree {
  void operator()(zip_source_t* s) const noexcept { zip_source_free(s); }
};
struct ZipErrorFini {
  void operator()(zip_error_t* e) const noexcept { zip_error_fini(e); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipDiscard>;
using ZipSourcePtr = std::unique_ptr<zip_source_t, ZipSourceFree>;

[[noreturn]] void Fail(const std::string& what, const char* why) {
  throw AppError(ErrorCode::kInternal, "internal error", "libzip: " + what + ": " + (why ? why : "failed"));
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

}  // namespace

bool Pbkdf2HmacSha1(const unsigned char* password, std::size_t password_len, const unsigned char* salt,
                    std::size_t salt_len, int iterations, unsigned char* out, std::size_t out_len) noexcept {
  if (iterations < 1 || out == nullptr || out_len == 0 || (password == nullptr && password_len != 0) ||
      (salt == nullptr && salt_len != 0)) {
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
  unsigned char block[SHA_CBLOCK] = {};
  block[SHA_DIGEST_LENGTH] = 0x80;
  block[SHA_CBLOCK - 2] = ((SHA_CBLOCK + SHA_DIGEST_LENGTH) * 8) >> 8;
  block[SHA_CBLOCK - 1] = ((SHA_CBLOCK + SHA_DIGEST_LENGTH) * 8) & 0xff;
  unsigned char u[SHA_DIGEST_LENGTH], t[SHA_DIGEST_LENGTH];
  SHA_CTX c;
  std::size_t done = 0;
  for (uint32_t index = 1; done < out_len; ++index) {
    const unsigned char be[4] = {static_cast<unsigned char>(index >> 24), static_cast<unsigned char>(index >> 16),
                                 static_cast<unsigned char>(index >> 8), static_cast<unsigned char>(index)};
    c = inner;
    SHA1_Update(&c, salt, salt_len);
    SHA1_Update(&c, be, sizeof be);
    SHA1_Final(u, &c);
    c = outer;
    SHA1_Update(&c, u, sizeof u);
    SHA1_Final(u, &c);
    std::memcpy(t, u, sizeof t);
    for (int j = 1; j < iterations; ++j) {
      std::memcpy(block, u, sizeof u);
      c = inner;
      SHA1_Transform(&c, block);
      DigestOf(c, block);
      c = outer;
      SHA1_Transform(&c, block);
      DigestOf(c, u);
      for (std::size_t k = 0; k < sizeof t; ++k) t[k] ^= u[k];
    }
    const std::size_t n = std::min(out_len - done, sizeof t);
    std::memcpy(out + done, t, n);
    done += n;
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

unsigned long Pbkdf2Derivations() noexcept { return g_derivations.load(std::memory_order_relaxed); }

std::string BuildEncryptedZip(const std::vector<ZipEntry>& entries, const crypto::SecretString& password) {
  if (!zip_encryption_method_supported(ZIP_EM_AES_256, 1)) Fail("zip_encryption_method_supported", "no AES-256");
  zip_error_t error;
  zip_error_init(&error);
  std::unique_ptr<zip_error_t, ZipErrorFini> error_guard(&error);

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
    const zip_int64_t index = zip_file_add(archive.get(), entry.name.c_str(), src.get(), ZIP_FL_ENC_UTF_8);
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

  if (zip_source_open(sink.get()) != 0) Fail("zip_source_open", zip_error_strerror(zip_source_error(sink.get())));
  struct Closer {
    zip_source_t* s;
    ~Closer() { zip_source_close(s); }
  } closer{sink.get()};
  if (zip_source_seek(sink.get(), 0, SEEK_END) != 0) Fail("zip_source_seek", zip_error_strerror(zip_source_error(sink.get())));
  const zip_int64_t size = zip_source_tell(sink.get());
  if (size <= 0) Fail("zip_source_tell", zip_error_strerror(zip_source_error(sink.get())));
  if (zip_source_seek(sink.get(), 0, SEEK_SET) != 0) Fail("zip_source_seek", zip_error_strerror(zip_source_error(sink.get())));
  std::string out(static_cast<std::size_t>(size), '\0');
  const zip_int64_t read = zip_source_read(sink.get(), out.data(), static_cast<zip_uint64_t>(size));
  if (read != size) Fail("zip_source_read", zip_error_strerror(zip_source_error(sink.get())));
  return out;
}

}  // namespace onboard::package

// libzip derives each file's WinZip AES keys with this OpenSSL function; defined here (in
// the program, which the dynamic linker searches before libcrypto) it runs the faster
// Pbkdf2HmacSha1 with the same result. Nothing else in onboard calls it.
extern "C" int PKCS5_PBKDF2_HMAC_SHA1(const char* pass, int passlen, const unsigned char* salt, int saltlen,
                                      int iter, int keylen, unsigned char* out) {
  if (pass != nullptr && passlen == -1) passlen = static_cast<int>(std::strlen(pass));
  if (pass == nullptr) passlen = 0;
  if (passlen < 0 || saltlen < 0 || keylen <= 0) return 0;
  return onboard::package::Pbkdf2HmacSha1(reinterpret_cast<const unsigned char*>(pass),
                                          static_cast<std::size_t>(passlen), salt, static_cast<std::size_t>(saltlen),
                                          iter, out, static_cast<std::size_t>(keylen))
             ? 1
             : 0;
}
