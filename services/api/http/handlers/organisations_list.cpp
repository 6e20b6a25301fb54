#include "codecs.hpp"
#include "common_codecs.hpp"
#include "handlers.hpp"

namespace onboard::http::handlers {

void OrganisationsList(RequestContext& ctx, AppServices& svc) {
  const PageParams page = ReadPageParams(ctx);
  const usecases::OrganisationQuery query{ctx.Query("name"), {page.cursor, page.limit}};
  const auto result = svc.use_cases.organisations.List(ctx.UseCaseCaller(), query);
  WriteJson(ctx, 200, PageJson(result, OrganisationJson));
}

}  // namespace onboard::http::handlers
