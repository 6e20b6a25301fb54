#include "kek.hpp"

#include <algorithm>
#include <cctype>

#include "error.hpp"

namespace onboard::crypto {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool IsIdChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
}

}  // namespace

Kek::Kek(Kek&& other) noexcept : id(std::move(other.id)), key(std::move(other.key)) {
  other.key.clear();
}

Kek& Kek::operator=(const Kek& other) {
  if (this != &other) {
    Cleanse(key);
    id = other.id;
    key = other.key;
  }
  return *this;
}

Kek& Kek::operator=(Kek&& other) noexcept {
  if (this != &other) {
    Cleanse(key);
    id = std::move(other.id);
    key = std::move(other.key);
    other.key.clear();
  }
  return *this;
}

Kek::~Kek() { Cleanse(key); }

std::vector<Kek> ParseKeks(std::string_view text, std::vector<std::string>& problems) {
  std::vector<Kek> out;
  std::size_t index = 0;
  while (!text.empty()) {
    const std::size_t cut = text.find_first_of(",\n");
    const std::string_view entry = Trim(text.substr(0, cut));
    text = cut == std::string_view::npos ? std::string_view{} : text.substr(cut + 1);
    if (entry.empty()) continue;
    ++index;
    const std::string where = "entry " + std::to_string(index);
    const std::size_t colon = entry.find(':');
    if (colon == std::string_view::npos) {
      problems.push_back(where + ": expected <kek_id>:<64 hex characters>");
      continue;
    }
    const std::string_view id = entry.substr(0, colon);
    const std::string_view hex = Trim(entry.substr(colon + 1));
    if (id.empty() || id.size() > 32 || !std::all_of(id.begin(), id.end(), IsIdChar)) {
      problems.push_back(where + ": the key id must be 1-32 characters of A-Z a-z 0-9 . _ -");
      continue;
    }
    if (hex.size() != 2 * kAesGcmKeyBytes) {
      problems.push_back(where + " (" + std::string(id) +
                         "): the key must be 64 hex characters (32 bytes)");
      continue;
    }
    std::string key(kAesGcmKeyBytes, '\0');
    bool ok = true;
    for (std::size_t i = 0; i < kAesGcmKeyBytes && ok; ++i) {
      const int hi = HexDigitValue(hex[2 * i]);
      const int lo = HexDigitValue(hex[2 * i + 1]);
      if (hi < 0 || lo < 0)
        ok = false;
      else
        key[i] = static_cast<char>((hi << 4) | lo);
    }
    if (!ok) {
      Cleanse(key);
      problems.push_back(where + " (" + std::string(id) +
                         "): the key must be 64 hex characters (32 bytes)");
      continue;
    }
    if (std::any_of(out.begin(), out.end(), [&](const Kek& k) { return k.id == id; })) {
      Cleanse(key);
      problems.push_back(where + ": key id '" + std::string(id) + "' appears twice");
      continue;
    }
    out.emplace_back(std::string(id), std::move(key));
  }
  return out;
}

KeyRing::KeyRing(std::vector<Kek> keks) : keks_(std::move(keks)) {
  if (keks_.empty())
    throw AppError(ErrorCode::kInternal, "internal error", "no secrets.kek configured");
}

const Kek& KeyRing::Find(std::string_view id) const {
  for (const auto& k : keks_) {
    if (k.id == id) return k;
  }
  throw AppError(ErrorCode::kInternal, "internal error",
                 "no configured KEK has id '" + std::string(id) + "'");
}

Sealed KeyRing::Seal(std::string_view plaintext, std::string_view aad) const {
  const Kek& k = Current();
  return Sealed{k.id, SealAesGcm(k.key, plaintext, aad)};
}

SecretString KeyRing::Open(std::string_view kek_id, std::string_view sealed,
                           std::string_view aad) const {
  return OpenAesGcm(Find(kek_id).key, sealed, aad);
}

std::string PackageAad(std::string_view delivery_id) {
  return "onboard-package|" + std::string(delivery_id);
}

std::string OutboxAad(std::string_view delivery_id, std::string_view kind) {
  return "onboard-outbox|" + std::string(delivery_id) + "|" + std::string(kind);
}

}  // namespace onboard::crypto
