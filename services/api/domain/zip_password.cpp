#include "zip_password.hpp"

namespace onboard::domain {

crypto::SecretString NewZipPassword() {
  std::string symbols = crypto::RandomFromAlphabet(kZipPasswordAlphabet,
                                                   kZipPasswordGroups * kZipPasswordGroupLength);
  std::string out;
  out.reserve(symbols.size() + kZipPasswordGroups - 1);
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    if (i > 0 && i % kZipPasswordGroupLength == 0) out.push_back('-');
    out.push_back(symbols[i]);
  }
  crypto::Cleanse(symbols);
  return crypto::SecretString(std::move(out));
}

bool LooksLikeZipPassword(std::string_view password) noexcept {
  constexpr std::size_t kLength = kZipPasswordGroups * (kZipPasswordGroupLength + 1) - 1;
  if (password.size() != kLength) return false;
  for (std::size_t i = 0; i < password.size(); ++i) {
    const bool separator = (i + 1) % (kZipPasswordGroupLength + 1) == 0;
    if (separator ? password[i] != '-'
                  : kZipPasswordAlphabet.find(password[i]) == std::string_view::npos)
      return false;
  }
  return true;
}

}  // namespace onboard::domain
