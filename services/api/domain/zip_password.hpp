#pragma once

#include <string_view>

#include "crypto.hpp"

namespace onboard::domain {

/// Characters a zip password is drawn from: 32 symbols (5 bits each), lower case so a phone
/// keyboard needs no shift, without the look-alikes 0/o, 1/l/i... (no 0, 1, l, o).
inline constexpr std::string_view kZipPasswordAlphabet = "23456789abcdefghijkmnpqrstuvwxyz";
inline constexpr int kZipPasswordGroups = 5;
inline constexpr int kZipPasswordGroupLength = 5;
/// Entropy of a generated password: 25 symbols x 5 bits. WinZip AES derives its key with
/// only 1,000 PBKDF2 iterations, so the password itself must carry the strength.
inline constexpr int kZipPasswordBits = 125;

/// A new zip password from the CSPRNG: five groups of five symbols of
/// kZipPasswordAlphabet joined by '-', e.g. "k7m2q-9xv4c-...". The hyphens are part of
/// the password (the SMS shows it exactly as it must be typed). Thread-safe.
crypto::SecretString NewZipPassword();

/// True when `password` has the shape NewZipPassword produces.
bool LooksLikeZipPassword(std::string_view password) noexcept;

}  // namespace onboard::domain
