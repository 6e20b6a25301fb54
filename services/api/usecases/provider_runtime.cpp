#include "provider_runtime.hpp"

#include <algorithm>

namespace onboard::usecases {

ProviderAuthAnswer ProviderRuntime::Authenticate(const ProviderAuthentication& command) {
  std::vector<FieldError> errors = command.input_errors;
  const std::vector<std::string>& audiences = command.input.audiences;
  if (audiences.empty() ||
      std::any_of(audiences.begin(), audiences.end(), [](const auto& a) { return a.empty(); })) {
    errors.push_back(
        {"audience", "required", "name the issuer or token endpoint the assertion must be for"});
  }
  if (!errors.empty())
    throw AppError(ErrorCode::kValidation, "the authentication request is invalid", "", errors);
  ProviderAuthAnswer answer;
  try {
    answer.outcome = service_.Authenticate(command.input);
    answer.authenticated = true;
  } catch (const domain::ClientAuthFailure& failure) {
    answer.error = failure.error();
    answer.description = failure.description();
  }
  return answer;
}

ProviderClientDocument ProviderRuntime::Client(const std::string& client_id,
                                               const std::string& if_none_match) {
  ProviderClientDocument out;
  out.runtime = service_.Runtime(client_id);
  if (!out.runtime) throw AppError(ErrorCode::kNotFound, "no such client");
  out.not_modified =
      !if_none_match.empty() &&
      (if_none_match == "*" || if_none_match.find(out.runtime->etag) != std::string::npos);
  return out;
}

}  // namespace onboard::usecases
