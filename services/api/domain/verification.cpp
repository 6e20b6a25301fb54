#include "verification.hpp"

#include <algorithm>
#include <set>

#include "enum_names.hpp"
#include "onboarding.hpp"

namespace onboard::domain {

namespace {

bool IsCaseName(std::string_view name) noexcept {
  if (name.empty() || name.size() > kMaxCaseNameChars || name[0] < 'a' || name[0] > 'z')
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Reads exactly `n` digits at `pos`; -1 when they are not all digits.
int Digits(std::string_view s, std::size_t pos, std::size_t n) noexcept {
  if (pos + n > s.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

constexpr EnumName<ClientFeature> kClientFeatures[] = {
    {ClientFeature::kOnBehalfOf, "onbehalfof"},
    {ClientFeature::kFrontchannelLogoutUri, "frontchannel_logout_uri"},
    {ClientFeature::kSsoDisabled, "sso_disabled"}};
constexpr EnumName<CaseOutcome> kCaseOutcomes[] = {{CaseOutcome::kPassed, "passed"},
                                                   {CaseOutcome::kFailed, "failed"},
                                                   {CaseOutcome::kNotApplicable, "not_applicable"}};

}  // namespace

std::string_view ToString(ClientFeature feature) noexcept {
  return NameOf(kClientFeatures, feature, "unknown");
}

std::optional<ClientFeature> ClientFeatureFromString(std::string_view text) noexcept {
  return ValueOf(kClientFeatures, text);
}

bool HasFeature(const ClientMetadata& metadata, ClientFeature feature) noexcept {
  switch (feature) {
    case ClientFeature::kOnBehalfOf:
      return !metadata.onbehalfof.empty();
    case ClientFeature::kFrontchannelLogoutUri:
      return metadata.frontchannel_logout_uri.has_value() &&
             !metadata.frontchannel_logout_uri->empty();
    case ClientFeature::kSsoDisabled:
      return metadata.sso_disabled;
  }
  return false;
}

const VerificationCase* VerificationCatalogue::Find(int id) const noexcept {
  for (const VerificationCase& c : cases) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

bool IsRequiredFor(const VerificationCase& c, const ClientMetadata& metadata) noexcept {
  return c.mandatory || (c.feature && HasFeature(metadata, *c.feature));
}

std::vector<FieldError> ValidateCatalogueCases(const std::vector<VerificationCase>& cases) {
  std::vector<FieldError> errors;
  if (cases.empty()) {
    errors.push_back({"cases", "required", "a catalogue needs at least one case"});
    return errors;
  }
  if (cases.size() > kMaxCatalogueCases) {
    errors.push_back(
        {"cases", "too_many", "at most " + std::to_string(kMaxCatalogueCases) + " cases"});
    return errors;
  }
  std::set<int> ids;
  std::set<std::string> names;
  bool any_mandatory = false;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const VerificationCase& c = cases[i];
    const std::string base = "cases/" + std::to_string(i) + "/";
    if (c.id < 1 || c.id > kMaxCaseId) {
      errors.push_back(
          {base + "id", "out_of_range", "id must be between 1 and " + std::to_string(kMaxCaseId)});
    } else if (!ids.insert(c.id).second) {
      errors.push_back(
          {base + "id", "duplicate_case", "case " + std::to_string(c.id) + " is listed twice"});
    }
    if (!IsCaseName(c.name)) {
      errors.push_back(
          {base + "name", "invalid_name",
           "name must be 1-64 lower-case letters, digits or '_', starting with a letter"});
    } else if (!names.insert(c.name).second) {
      errors.push_back({base + "name", "duplicate_name", "name " + c.name + " is used twice"});
    }
    CheckText(errors, base + "title", c.title, true, kMaxCaseTitleChars, false);
    CheckText(errors, base + "description", c.description, true, kMaxCaseDescriptionChars, true);
    any_mandatory = any_mandatory || c.mandatory;
  }
  if (!any_mandatory)
    errors.push_back({"cases", "no_mandatory_case", "at least one case must be mandatory"});
  return errors;
}

std::string_view ToString(CaseOutcome outcome) noexcept {
  return NameOf(kCaseOutcomes, outcome, "unknown");
}

std::optional<CaseOutcome> CaseOutcomeFromString(std::string_view text) noexcept {
  return ValueOf(kCaseOutcomes, text);
}

std::vector<FieldError> ValidateRun(const VerificationRun& run,
                                    const VerificationCatalogue& catalogue,
                                    std::chrono::system_clock::time_point now) {
  std::vector<FieldError> errors;
  CheckText(errors, "tester", run.tester, true, kMaxTesterChars, false);
  if (run.tested_at.empty()) {
    errors.push_back({"tested_at", "required", "tested_at is required"});
  } else if (auto when = ParseRfc3339(run.tested_at); !when) {
    errors.push_back({"tested_at", "invalid_time",
                      "tested_at must be an RFC 3339 time, e.g. 2024-05-01T12:00:00Z"});
  } else if (*when > std::chrono::floor<std::chrono::seconds>(now) + kMaxTestedAtSkew) {
    // Compared in seconds: nanosecond time points overflow after the year 2262.
    errors.push_back({"tested_at", "in_future", "tested_at lies in the future"});
  }
  if (run.results.empty()) {
    errors.push_back({"results", "required", "a run records at least one case"});
  }
  std::set<int> seen;
  for (std::size_t i = 0; i < run.results.size(); ++i) {
    const CaseResult& r = run.results[i];
    const std::string base = "results/" + std::to_string(i) + "/";
    const VerificationCase* c = catalogue.Find(r.case_id);
    if (c == nullptr) {
      errors.push_back({base + "case_id", "unknown_case",
                        "case " + std::to_string(r.case_id) + " is not in catalogue version " +
                            std::to_string(catalogue.version)});
    } else if (!seen.insert(r.case_id).second) {
      errors.push_back({base + "case_id", "duplicate_case",
                        "case " + std::to_string(r.case_id) + " is given twice"});
    } else if (c->mandatory && r.outcome == CaseOutcome::kNotApplicable) {
      errors.push_back(
          {base + "outcome", "mandatory_not_applicable",
           "case " + std::to_string(r.case_id) + " is mandatory: it is passed or failed"});
    }
    CheckText(errors, base + "evidence", r.evidence, false, kMaxEvidenceChars, true);
    CheckText(errors, base + "attachment", r.attachment, false, kMaxAttachmentChars, false);
  }
  return errors;
}

std::vector<int> MissingMandatoryCases(const VerificationRun& run,
                                       const VerificationCatalogue& catalogue) {
  std::vector<int> missing;
  for (const VerificationCase& c : catalogue.cases) {
    if (!c.mandatory) continue;
    const bool covered = std::any_of(run.results.begin(), run.results.end(),
                                     [&](const CaseResult& r) { return r.case_id == c.id; });
    if (!covered) missing.push_back(c.id);
  }
  std::sort(missing.begin(), missing.end());
  return missing;
}

void MarkCompleteness(VerificationRun& run, const VerificationCatalogue& catalogue) {
  run.missing_mandatory = MissingMandatoryCases(run, catalogue);
  run.complete = run.missing_mandatory.empty();
}

std::optional<std::chrono::sys_seconds> ParseRfc3339(std::string_view s) noexcept {
  using namespace std::chrono;
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
      s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  const int y = Digits(s, 0, 4), mo = Digits(s, 5, 2), d = Digits(s, 8, 2);
  const int h = Digits(s, 11, 2), mi = Digits(s, 14, 2), se = Digits(s, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || se < 0 || h > 23 || mi > 59 || se > 60)
    return std::nullopt;
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  if (pos >= s.size()) return std::nullopt;
  int offset_minutes = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    const int oh = Digits(s, pos + 1, 2), om = Digits(s, pos + 4, 2);
    if (oh < 0 || om < 0 || pos + 3 >= s.size() || s[pos + 3] != ':' || oh > 23 || om > 59)
      return std::nullopt;
    offset_minutes = (s[pos] == '+' ? 1 : -1) * (oh * 60 + om);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  return sys_seconds{sys_days{date}} + hours{h} + minutes{mi} + seconds{se} -
         minutes{offset_minutes};
}

}  // namespace onboard::domain
