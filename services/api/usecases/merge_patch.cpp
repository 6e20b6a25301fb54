#include "merge_patch.hpp"

namespace onboard::usecases {

void ThrowIfInvalid(const std::vector<FieldError>& input, const std::vector<FieldError>& rules,
                    const std::string& detail) {
  if (input.empty() && rules.empty()) return;
  std::vector<FieldError> all = input;
  all.insert(all.end(), rules.begin(), rules.end());
  throw AppError(ErrorCode::kValidation, detail, "", std::move(all));
}

void RequireVersion(const std::optional<int>& expected, int current, const std::string& what) {
  if (expected && *expected != current) {
    throw AppError(ErrorCode::kPreconditionFailed,
                   what + " (version " + std::to_string(current) + " now)", "", {},
                   "version_mismatch");
  }
}

}  // namespace onboard::usecases
