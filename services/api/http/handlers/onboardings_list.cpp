#include "common_codecs.hpp"
#include "handlers.hpp"
#include "onboarding_codecs.hpp"

namespace onboard::http::handlers {

// GET /v1/onboardings?organisation=&state=&limit=&cursor=, newest case first.
void OnboardingsList(RequestContext& ctx, AppServices& svc) {
  const PageParams page = ReadPageParams(ctx);
  const usecases::CaseQuery query{
      ctx.Query("organisation"), ctx.Query("state"), {page.cursor, page.limit}};
  const auto result = svc.use_cases.onboardings.List(ctx.UseCaseCaller(), query);
  WriteJson(ctx, 200, PageJson(result, OnboardingJson));
}

}  // namespace onboard::http::handlers
