#include <Poco/JSON/Array.h>

#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "onboarding_codecs.hpp"
#include "orgno.hpp"

namespace onboard::http::handlers {

// GET /v1/onboardings?organisation=&state=&limit=&cursor=, newest case first.
void OnboardingsList(RequestContext& ctx, AppServices& svc) {
  const PageParams page = ReadPageParams(ctx);
  domain::OnboardingFilter filter;
  std::vector<FieldError> errors;
  filter.organisation = ctx.Query("organisation");
  if (!filter.organisation.empty() && !domain::IsValidOrgno(filter.organisation)) {
    errors.push_back(
        {"organisation", "invalid_orgno", "organisation must be a valid organisation number"});
  }
  if (const std::string state = ctx.Query("state"); !state.empty()) {
    filter.state = domain::ParseOnboardingState(state);
    if (!filter.state) {
      errors.push_back({"state", "invalid_state",
                        "state must be open, production_ordered, in_production or withdrawn"});
    }
  }
  if (!errors.empty()) throw AppError(ErrorCode::kValidation, "the filter is invalid", "", errors);

  Poco::JSON::Object body;
  Poco::JSON::Array items;
  domain::Page<domain::Onboarding> result;
  // A portal sees its own organisation's cases only; asking for another organisation's
  // gives an empty list, exactly as if it had none.
  const bool foreign = ctx.IsPortal() && !filter.organisation.empty() &&
                       filter.organisation != ctx.caller->portal_org;
  if (!foreign) {
    if (ctx.IsPortal()) filter.organisation = ctx.caller->portal_org;
    result = svc.onboardings.List(filter, domain::PageRequest{page.cursor, page.limit});
  }
  for (const auto& o : result.items) items.add(OnboardingJson(o));
  body.set("items", items);
  if (result.next_cursor.empty())
    body.set("next_cursor", Poco::Dynamic::Var());
  else
    body.set("next_cursor", result.next_cursor);
  WriteJson(ctx, 200, body);
}

}  // namespace onboard::http::handlers
