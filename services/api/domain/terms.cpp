#include "terms.hpp"

#include <algorithm>

#include "onboarding.hpp"

namespace onboard::domain {

namespace {

bool IsAsciiAlnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// host[:port] with a DNS-style host: labels of letters, digits and '-', separated by dots.
bool IsPlainAuthority(std::string_view authority) noexcept {
  const auto colon = authority.find(':');
  const std::string_view host = authority.substr(0, colon);
  if (host.empty() || host.size() > 253 || host.front() == '.' || host.back() == '.' ||
      host.front() == '-') {
    return false;
  }
  if (!std::all_of(host.begin(), host.end(),
                   [](char c) { return IsAsciiAlnum(c) || c == '.' || c == '-'; })) {
    return false;
  }
  if (host.find("..") != std::string_view::npos) return false;
  if (colon == std::string_view::npos) return true;
  const std::string_view port = authority.substr(colon + 1);
  return !port.empty() && port.size() <= 5 &&
         std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool IsValidTermsVersion(std::string_view version) noexcept {
  if (version.empty() || version.size() > kMaxTermsVersionChars || !IsAsciiAlnum(version.front()))
    return false;
  return std::all_of(version.begin(), version.end(),
                     [](char c) { return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '-'; });
}

bool IsValidTermsUrl(std::string_view url) noexcept {
  constexpr std::string_view kScheme = "https://";
  if (url.size() > kMaxTermsUrlChars || url.substr(0, kScheme.size()) != kScheme) return false;
  // Visible ASCII only: no spaces, controls or raw non-ASCII (those must be percent-encoded).
  if (!std::all_of(url.begin(), url.end(), [](char c) { return c > 0x20 && c < 0x7f; }))
    return false;
  if (url.find('#') != std::string_view::npos) return false;
  const std::string_view rest = url.substr(kScheme.size());
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
  return IsPlainAuthority(authority);
}

std::vector<FieldError> ValidateTerms(const Terms& terms) {
  std::vector<FieldError> errors;
  if (terms.version.empty()) {
    errors.push_back({"version", "required", "version is required"});
  } else if (!IsValidTermsVersion(terms.version)) {
    errors.push_back(
        {"version", "invalid_version",
         "version must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"});
  }
  CheckText(errors, "title", terms.title, true, kMaxTermsTitleChars, false);
  if (terms.url.empty()) {
    errors.push_back({"url", "required", "url is required"});
  } else if (!IsValidTermsUrl(terms.url)) {
    errors.push_back(
        {"url", "invalid_url", "url must be an absolute https URL without a fragment"});
  }
  CheckText(errors, "summary", terms.summary, true, kMaxTermsSummaryChars, true);
  return errors;
}

}  // namespace onboard::domain
