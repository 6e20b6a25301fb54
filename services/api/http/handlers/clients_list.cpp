#include "client_common.hpp"
#include "handlers.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

void ClientsList(RequestContext& ctx, AppServices& svc) {
  const PageParams page = ReadPageParams(ctx);
  const usecases::ClientQuery query{.organisation = ctx.Query("organisation"),
                                    .environment = ctx.Query("environment"),
                                    .integration_type = ctx.Query("integration_type"),
                                    .state = ctx.Query("state"),
                                    .name_contains = ctx.Query("q"),
                                    .page = domain::PageRequest{page.cursor, page.limit}};
  const auto result = svc.use_cases.clients.List(ctx.UseCaseCaller(), query);
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
