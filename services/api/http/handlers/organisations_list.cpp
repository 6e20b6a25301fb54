#include <Poco/JSON/Array.h>

#include "codecs.hpp"
#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

void OrganisationsList(RequestContext& ctx, AppServices& svc) {
  const PageParams page = ReadPageParams(ctx);
  domain::OrganisationFilter filter;
  filter.name_prefix = ctx.Query("name");
  if (filter.name_prefix.size() > 200) {
    throw AppError(ErrorCode::kValidation, "name filter is too long", "",
                   {{"name", "too_long", "at most 200 bytes"}});
  }
  if (ctx.IsPortal()) filter.only_orgno = ctx.caller->portal_org;
  auto result = svc.organisations.List(filter, domain::PageRequest{page.cursor, page.limit});
  Poco::JSON::Array items;
  for (const auto& org : result.items) items.add(OrganisationJson(org));
  Poco::JSON::Object body;
  body.set("items", items);
  if (result.next_cursor.empty())
    body.set("next_cursor", Poco::Dynamic::Var());
  else
    body.set("next_cursor", result.next_cursor);
  WriteJson(ctx, 200, body);
}

}  // namespace onboard::http::handlers
