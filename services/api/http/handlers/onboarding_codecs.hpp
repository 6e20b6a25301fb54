#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "json_io.hpp"
#include "onboarding.hpp"
#include "request_context.hpp"
#include "terms.hpp"

/// JSON shapes of onboarding cases and terms versions, and the helpers their handlers share.
namespace onboard::http::handlers {

/// The public form of a case, with the computed `planning_complete` and
/// `planning_missing`. Holds no secret.
Poco::JSON::Object::Ptr OnboardingJson(const domain::Onboarding& onboarding);

/// The public form of a terms version.
Poco::JSON::Object::Ptr TermsJson(const domain::Terms& terms);

/// Reads the `planning` member of a request as a JSON merge patch onto `planning`: an
/// absent field keeps its value, null or "" clears it, a string replaces it; `planning`
/// itself being null clears every field. Problems (wrong types, unknown fields, strings
/// beyond the byte cap) are added to `fields` under `planning/...`.
void ReadPlanningPatch(JsonFields& fields, domain::PlanningInfo& planning);

/// Reads `contacts` (an array, or null to clear when `allow_null`) into `contacts`;
/// problems are added to `fields`.
void ReadContacts(JsonFields& fields, std::vector<domain::Contact>& contacts, bool allow_null);

/// Loads a case the caller may see. A malformed id, an unknown id and another
/// organisation's case (for portal callers) all give the same AppError(kNotFound), so
/// that a portal learns nothing about other organisations.
domain::Onboarding FindVisibleOnboarding(const RequestContext& ctx, domain::OnboardingStore& store,
                                         const std::string& id);

/// True for a UUID in its canonical 8-4-4-4-12 hexadecimal form (either case).
bool IsUuid(const std::string& text) noexcept;

/// Parses If-Match for the POST actions on a case: std::nullopt when absent.
std::optional<int> OptionalIfMatch(const RequestContext& ctx);

/// Serialises `detail` as the audit event's detail_json.
std::string AuditDetail(const Poco::JSON::Object& detail);

}  // namespace onboard::http::handlers
