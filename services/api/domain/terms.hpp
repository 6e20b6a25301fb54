#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_event.hpp"
#include "error.hpp"

namespace onboard::domain {

/// One published version of the terms of use. Immutable once published.
struct Terms {
  std::string version;  ///< e.g. "2024-06" or "3.1"; see IsValidTermsVersion
  std::string title;
  std::string url;           ///< where the full text is published (https)
  std::string summary;       ///< what changed, for the people who accept it
  std::string published_at;  ///< RFC 3339, set by the store
  std::string published_by;  ///< API token name of the operator who published it
};

/// Persistence of terms versions. Implementations are thread-safe.
class TermsStore {
 public:
  virtual ~TermsStore() = default;
  /// Publishes `terms` and writes `audit` in the same transaction. Throws
  /// AppError(kConflict, code_name "terms_version_exists") when the version exists:
  /// a published version is never changed.
  virtual Terms Publish(const Terms& terms, const AuditEvent& audit) = 0;
  /// Every version, newest publication first.
  virtual std::vector<Terms> List() = 0;
  virtual std::optional<Terms> Find(const std::string& version) = 0;
};

inline constexpr std::size_t kMaxTermsVersionChars = 64;
inline constexpr std::size_t kMaxTermsTitleChars = 200;
inline constexpr std::size_t kMaxTermsUrlChars = 2000;
inline constexpr std::size_t kMaxTermsSummaryChars = 4000;

/// 1-64 characters of letters, digits and `._-`, starting with a letter or digit.
bool IsValidTermsVersion(std::string_view version) noexcept;

/// An absolute https URL with a host and no whitespace, user info or fragment.
bool IsValidTermsUrl(std::string_view url) noexcept;

/// Field errors for a new terms version (paths `version`, `title`, `url`, `summary`).
/// The summary may span lines; the other fields are single-line.
std::vector<FieldError> ValidateTerms(const Terms& terms);

}  // namespace onboard::domain
