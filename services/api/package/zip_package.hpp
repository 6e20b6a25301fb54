#pragma once

#include <string>
#include <vector>

#include "crypto.hpp"

namespace onboard::package {

/// One file of a zip: its name inside the archive and its content.
struct ZipEntry {
  std::string name;
  crypto::SecretString content;
};

/// Builds a zip in memory with libzip in which every entry is deflated and encrypted with
/// WinZip AES-256 (ZIP_EM_AES_256, AE-2); never ZipCrypto. Throws AppError(kInternal) when
/// libzip fails (the message names the call, never the password). Thread-safe.
std::string BuildEncryptedZip(const std::vector<ZipEntry>& entries,
                              const crypto::SecretString& password);

/// PBKDF2-HMAC-SHA1 (RFC 8018), the key derivation of WinZip AES: the same output as
/// OpenSSL's PKCS5_PBKDF2_HMAC with SHA-1, about three times faster. WinZip AES derives a
/// key per file with 1000 iterations (4000 HMACs for AES-256's 66 bytes), and OpenSSL 3
/// copies and frees three digest contexts per HMAC, which made the derivations most of the
/// CPU a production issuance costs. This one keeps the HMAC's inner and outer SHA-1 states
/// as plain values and runs one compression each per iteration. zip_package.cpp also
/// defines PKCS5_PBKDF2_HMAC_SHA1 with it, so that libzip's derivation (libzip calls that
/// OpenSSL function) runs it; returns false for bad arguments as OpenSSL does.
bool Pbkdf2HmacSha1(const unsigned char* password, std::size_t password_len,
                    const unsigned char* salt, std::size_t salt_len, int iterations,
                    unsigned char* out, std::size_t out_len) noexcept;

/// Whether Pbkdf2HmacSha1 iterates with the x86 SHA extensions (it does when the
/// processor has them; false makes it use OpenSSL's SHA1_Transform). Returns whether it
/// now does. For tests, which check both ways against OpenSSL.
bool UseShaExtensions(bool use) noexcept;

/// How many derivations Pbkdf2HmacSha1 made in this process (tests check that libzip's
/// derivations go through it).
unsigned long Pbkdf2Derivations() noexcept;

}  // namespace onboard::package
