#pragma once

#include <Poco/JSON/Object.h>

#include "json_io.hpp"
#include "onboarding.hpp"
#include "terms.hpp"
#include "onboardings.hpp"

/// JSON shapes of onboarding cases and terms versions, and the readers of their requests.
namespace onboard::http::handlers {

/// The public form of a case, with the computed `planning_complete` and
/// `planning_missing`. Holds no secret.
Poco::JSON::Object::Ptr OnboardingJson(const domain::Onboarding& onboarding);

/// The public form of a terms version.
Poco::JSON::Object::Ptr TermsJson(const domain::Terms& terms);

/// Reads the `planning` member of a request as a merge patch: absent fields keep their
/// value, null or "" clears one, a string replaces it; `planning` itself being null clears
/// every field. Problems (wrong types, unknown fields, strings beyond the byte cap) are
/// added to `fields` under `planning/...`.
usecases::PlanningPatch ReadPlanningPatch(JsonFields& fields);

}  // namespace onboard::http::handlers
