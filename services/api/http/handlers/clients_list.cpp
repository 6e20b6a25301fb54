#include "client_common.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "orgno.hpp"

namespace onboard::http::handlers {

void ClientsList(RequestContext& ctx, AppServices& svc) {
  const PageParams page = ReadPageParams(ctx);
  domain::ClientFilter filter;
  std::vector<FieldError> errors;
  if (auto org = ctx.Query("organisation"); !org.empty()) {
    if (!domain::IsValidOrgno(org))
      errors.push_back({"organisation", "invalid_orgno", "not a valid organisation number"});
    filter.organisation = org;
  }
  if (auto env = ctx.Query("environment"); !env.empty()) {
    filter.environment = domain::EnvironmentFromString(env);
    if (!filter.environment)
      errors.push_back({"environment", "invalid_value", "environment must be test or production"});
  }
  if (auto type = ctx.Query("integration_type"); !type.empty()) {
    filter.integration_type = domain::IntegrationTypeFromString(type);
    if (!filter.integration_type)
      errors.push_back({"integration_type", "invalid_value", "unknown integration type"});
  }
  if (auto state = ctx.Query("state"); !state.empty()) {
    filter.state = domain::ClientStateFromString(state);
    if (!filter.state)
      errors.push_back(
          {"state", "invalid_value", "state must be active, deactivated or awaiting_credentials"});
  }
  filter.name_contains = ctx.Query("q");
  if (filter.name_contains.size() > 200) errors.push_back({"q", "too_long", "at most 200 bytes"});
  if (!errors.empty()) throw AppError(ErrorCode::kValidation, "invalid filter", "", errors);
  if (ctx.caller->access_token) {
    // An access token lists its own organisation's clients (when it may read them) and,
    // with idporten:dcr.supplier, the ones it supplies; a filter for another organisation
    // narrows that set.
    const std::string& org = ctx.caller->portal_org;
    const bool own = (ctx.caller->permissions & domain::Bit(ctx.permission)) != 0;
    filter.visible_own = own ? std::optional<std::string>(org) : std::nullopt;
    filter.visible_supplied = ctx.caller->supplier ? std::optional<std::string>(org) : std::nullopt;
    if (!own && !ctx.caller->supplier) filter.visible_own = "000000000";  // sees nothing
  } else if (ctx.IsPortal()) {
    // A portal sees its own organisation only; asking for another yields an empty page.
    if (filter.organisation && *filter.organisation != ctx.caller->portal_org)
      filter.organisation = "000000000";
    else
      filter.organisation = ctx.caller->portal_org;
  }
  auto result = svc.clients.List(filter, domain::PageRequest{page.cursor, page.limit});
  std::string body = "{\"items\":[";
  for (std::size_t i = 0; i < result.items.size(); ++i) {
    if (i > 0) body += ",";
    body += client_common::ClientJsonText(result.items[i]);
  }
  body += "],\"next_cursor\":";
  body += result.next_cursor.empty() ? "null" : "\"" + result.next_cursor + "\"";
  body += "}";
  WriteBody(ctx, 200, "application/json", body);
}

}  // namespace onboard::http::handlers
