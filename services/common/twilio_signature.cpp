#include "twilio_signature.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>

#include "crypto.hpp"
#include "error.hpp"

namespace onboard::twilio {

std::string SignedText(std::string_view url, FormParams params) {
  std::sort(params.begin(), params.end());
  std::string out(url);
  for (const auto& [name, value] : params) {
    out += name;
    out += value;
  }
  return out;
}

std::string Signature(std::string_view auth_token, std::string_view url, const FormParams& params) {
  const std::string text = SignedText(url, params);
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (HMAC(EVP_sha1(), auth_token.data(), static_cast<int>(auth_token.size()),
           reinterpret_cast<const unsigned char*>(text.data()), text.size(), md.data(),
           &len) == nullptr) {
    throw AppError(ErrorCode::kInternal, "internal error", "HMAC-SHA1 failed");
  }
  return crypto::Base64Encode(std::string_view(reinterpret_cast<const char*>(md.data()), len));
}

bool ValidSignature(std::string_view auth_token, std::string_view url, const FormParams& params,
                    std::string_view signature) {
  if (auth_token.empty() || signature.empty()) return false;
  return crypto::ConstantTimeEqual(Signature(auth_token, url, params), signature);
}

}  // namespace onboard::twilio
