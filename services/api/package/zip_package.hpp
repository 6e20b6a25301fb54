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
std::string BuildEncryptedZip(const std::vector<ZipEntry>& entries, const crypto::SecretString& password);

}  // namespace onboard::package
