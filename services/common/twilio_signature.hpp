#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace onboard::twilio {

/// Form parameters of a callback, in any order (names may repeat).
using FormParams = std::vector<std::pair<std::string, std::string>>;

/// The text Twilio signs for a form-encoded POST: the full URL, then every parameter
/// sorted by name (ties by value), each as name immediately followed by value.
std::string SignedText(std::string_view url, FormParams params);

/// `X-Twilio-Signature` for a request: base64 of HMAC-SHA1 keyed with the auth token over
/// SignedText(url, params). Throws AppError(kInternal) if OpenSSL fails.
std::string Signature(std::string_view auth_token, std::string_view url, const FormParams& params);

/// True when `signature` is the valid signature of the request (constant-time compare).
/// An empty token or signature never validates.
bool ValidSignature(std::string_view auth_token, std::string_view url, const FormParams& params,
                    std::string_view signature);

}  // namespace onboard::twilio
