#include "onboarding.hpp"

#include <algorithm>

#include "enum_names.hpp"

namespace onboard::domain {

namespace {

bool IsBlank(std::string_view s) noexcept {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

// C0 controls, DEL and C1 controls (U+0080..U+009F, UTF-8 C2 80..C2 9F). Line breaks and
// TAB pass when the text may span lines.
bool HasForbiddenControl(std::string_view s, bool multiline) noexcept {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (multiline && (c == '\t' || c == '\n' || c == '\r')) continue;
    if (c < 0x20 || c == 0x7f) return true;
    if (c == 0xC2 && i + 1 < s.size()) {
      const auto next = static_cast<unsigned char>(s[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return true;
    }
  }
  return false;
}

constexpr EnumName<OnboardingState> kOnboardingStates[] = {
    {OnboardingState::kOpen, "open"},
    {OnboardingState::kProductionOrdered, "production_ordered"},
    {OnboardingState::kInProduction, "in_production"},
    {OnboardingState::kWithdrawn, "withdrawn"}};

}  // namespace

std::string_view OnboardingStateName(OnboardingState state) noexcept {
  return NameOf(kOnboardingStates, state, "unknown");
}

std::optional<OnboardingState> ParseOnboardingState(std::string_view text) noexcept {
  return ValueOf(kOnboardingStates, text);
}

bool IsPatchableTransition(OnboardingState from, OnboardingState to) noexcept {
  if (from == to) return true;
  return (from == OnboardingState::kOpen && to == OnboardingState::kWithdrawn) ||
         (from == OnboardingState::kWithdrawn && to == OnboardingState::kOpen);
}

std::vector<std::string> MissingPlanningFields(const PlanningInfo& planning) {
  std::vector<std::string> missing;
  for (const PlanningField& field : kPlanningFields) {
    if (IsBlank(planning.*field.member)) missing.emplace_back(field.name);
  }
  return missing;
}

bool IsPlanningComplete(const PlanningInfo& planning) noexcept {
  return std::none_of(std::begin(kPlanningFields), std::end(kPlanningFields),
                      [&](const PlanningField& field) { return IsBlank(planning.*field.member); });
}

std::size_t CodePointCount(std::string_view utf8) noexcept {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

void CheckText(std::vector<FieldError>& errors, const std::string& path, std::string_view value,
               bool required, std::size_t max_chars, bool multiline) {
  if (value.empty() || (required && IsBlank(value))) {
    if (required) errors.push_back({path, "required", path + " is required"});
  } else if (CodePointCount(value) > max_chars) {
    errors.push_back(
        {path, "too_long", path + " must be at most " + std::to_string(max_chars) + " characters"});
  } else if (HasForbiddenControl(value, multiline)) {
    errors.push_back(
        {path, "control_character",
         multiline ? path + " must not contain control characters other than line breaks and tabs"
                   : path + " must not contain control characters"});
  }
}

std::vector<FieldError> ValidateOnboarding(const Onboarding& onboarding) {
  std::vector<FieldError> errors;
  CheckText(errors, "service_name", onboarding.service_name, true, kMaxServiceNameChars, false);
  for (const PlanningField& field : kPlanningFields) {
    CheckText(errors, "planning/" + std::string(field.name), onboarding.planning.*field.member,
              false, kMaxPlanningTextChars, true);
  }
  // Contacts follow exactly the organisation's contact rules; the organisation validator is
  // the one place they are written down, so reuse it and keep only its contact errors.
  Organisation contacts_only;
  contacts_only.name = "-";
  contacts_only.contacts = onboarding.contacts;
  for (FieldError& e : ValidateOrganisation(contacts_only)) {
    if (e.path.rfind("contacts", 0) == 0) errors.push_back(std::move(e));
  }
  return errors;
}

void RequireOpenForChanges(OnboardingState state) {
  if (state == OnboardingState::kWithdrawn) {
    throw AppError(ErrorCode::kConflict,
                   "the onboarding case is withdrawn; reopen it first (state \"open\")", "", {},
                   "onboarding_closed");
  }
}

void CheckLinkableTestClient(const std::string& case_organisation,
                             const std::optional<ClientPlacement>& client) {
  std::string refusal;
  if (!client) {
    refusal = "client does not exist";
  } else if (client->organisation != case_organisation) {
    refusal = "client belongs to " + client->organisation + ", the case to " + case_organisation;
  } else if (client->environment != "test") {
    refusal = "client is in " + client->environment + ", not test";
  }
  if (!refusal.empty()) {
    throw AppError(ErrorCode::kNotFound, "no such test client in this organisation", refusal, {},
                   "client_not_found");
  }
}

TermsAcceptanceDecision DecideTermsAcceptance(std::optional<int64_t> accepted_rank,
                                              int64_t requested_rank) noexcept {
  if (!accepted_rank || requested_rank > *accepted_rank) return TermsAcceptanceDecision::kRecord;
  if (requested_rank == *accepted_rank) return TermsAcceptanceDecision::kAlreadyAccepted;
  return TermsAcceptanceDecision::kOlderThanAccepted;
}

}  // namespace onboard::domain
