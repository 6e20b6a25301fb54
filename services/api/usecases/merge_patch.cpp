#include "merge_patch.hpp"

#include <Poco/NumberParser.h>

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

int ParseIfMatch(const std::string& header) {
  if (header.empty()) return -1;
  std::string v = header;
  if (v.rfind("W/", 0) == 0) v = v.substr(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  int n = 0;
  if (!Poco::NumberParser::tryParse(v, n) || n < 1) {
    throw AppError(ErrorCode::kPreconditionFailed,
                   "If-Match does not name a version of this resource", "", {}, "version_mismatch");
  }
  return n;
}

}  // namespace onboard::usecases
