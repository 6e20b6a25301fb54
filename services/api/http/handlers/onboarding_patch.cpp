#include <Poco/JSON/Array.h>

#include <algorithm>

#include "codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "onboarding_codecs.hpp"

namespace onboard::http::handlers {

namespace {

bool SameContacts(const std::vector<domain::Contact>& a, const std::vector<domain::Contact>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const domain::Contact& x, const domain::Contact& y) {
                      return x.name == y.name && x.email == y.email && x.mobile == y.mobile &&
                             x.role == y.role;
                    });
}

// Names of what a patch changed, for the audit event (names only: planning text and
// contacts may hold personal data and stay out of the audit trail).
Poco::JSON::Array ChangedFields(const domain::Onboarding& before, const domain::Onboarding& after) {
  Poco::JSON::Array changed;
  if (before.service_name != after.service_name) changed.add("service_name");
  if (before.state != after.state) changed.add("state");
  for (const domain::PlanningField& field : domain::kPlanningFields) {
    if (before.planning.*field.member != after.planning.*field.member) {
      changed.add("planning/" + std::string(field.name));
    }
  }
  if (!SameContacts(before.contacts, after.contacts)) changed.add("contacts");
  return changed;
}

}  // namespace

// RFC 7396 merge patch over {service_name, state, planning, contacts}; id and
// organisation may be repeated but not changed. State moves only open <-> withdrawn here.
void OnboardingPatch(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Object::Ptr patch =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes),
                     "application/merge-patch+json");
  const domain::Onboarding current = FindVisibleOnboarding(ctx, svc.onboardings, ctx.Param("id"));
  const int if_match = ParseIfMatch(ctx.request.get("If-Match", ""));
  if (if_match >= 0 && if_match != current.version) {
    throw AppError(ErrorCode::kPreconditionFailed,
                   "the onboarding case was changed since you read it (version " +
                       std::to_string(current.version) + " now)",
                   "", {}, "version_mismatch");
  }

  domain::Onboarding next = current;
  JsonFields f(*patch);
  if (auto id = f.String("id", false, 64); id && *id != current.id) {
    f.AddError("id", "immutable", "id cannot be changed");
  }
  if (auto org = f.String("organisation", false, 64); org && *org != current.organisation) {
    f.AddError("organisation", "immutable", "organisation cannot be changed");
  }
  if (f.Has("service_name")) {
    if (f.IsNull("service_name")) {
      f.Allow("service_name");
      f.AddError("service_name", "required", "service_name cannot be removed");
    } else if (auto name = f.String("service_name", false, domain::kMaxServiceNameChars * 4)) {
      next.service_name = *name;
    }
  }
  if (f.Has("state")) {
    if (f.IsNull("state")) {
      f.Allow("state");
      f.AddError("state", "required", "state cannot be removed");
    } else if (auto text = f.String("state", false, 64)) {
      const auto state = domain::ParseOnboardingState(*text);
      if (!state) {
        f.AddError("state", "invalid_state",
                   "state must be open, production_ordered, in_production or withdrawn");
      } else if (!domain::IsPatchableTransition(current.state, *state)) {
        f.AddError("state", "transition_not_allowed",
                   "a case cannot move from " +
                       std::string(domain::OnboardingStateName(current.state)) + " to " + *text +
                       " here");
      } else {
        next.state = *state;
      }
    }
  }
  ReadPlanningPatch(f, next.planning);
  ReadContacts(f, next.contacts, true);
  f.AddErrors(domain::ValidateOnboarding(next));
  f.Finish("the onboarding case is invalid");

  Poco::JSON::Array changed = ChangedFields(current, next);
  if (changed.size() == 0) {
    // Nothing to change: nothing is written and no audit event is due.
    ctx.response.set("ETag", VersionEtag(current.version));
    WriteJson(ctx, 200, *OnboardingJson(current));
    return;
  }
  // A withdrawn case takes only the change that reopens it.
  if (next.state == domain::OnboardingState::kWithdrawn)
    domain::RequireOpenForChanges(current.state);

  domain::AuditEvent audit =
      ctx.Audit("onboarding.update", "onboarding", current.id, current.organisation);
  Poco::JSON::Object detail;
  detail.set("changed", changed);
  if (next.state != current.state) {
    detail.set("state_from", std::string(domain::OnboardingStateName(current.state)));
    detail.set("state_to", std::string(domain::OnboardingStateName(next.state)));
  }
  audit.detail_json = AuditDetail(detail);
  const domain::Onboarding updated = svc.onboardings.Update(next, current.version, audit);
  ctx.response.set("ETag", VersionEtag(updated.version));
  WriteJson(ctx, 200, *OnboardingJson(updated));
}

}  // namespace onboard::http::handlers
