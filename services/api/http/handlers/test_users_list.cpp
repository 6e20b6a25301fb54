#include <Poco/JSON/Array.h>

#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "verification_codecs.hpp"

namespace onboard::http::handlers {

// GET /v1/organisations/{orgno}/test-users[?include_released=true]: the organisation's
// active test users, oldest first (released ones too when asked).
void TestUsersList(RequestContext& ctx, AppServices& svc) {
  const std::string& orgno = ctx.Param("orgno");
  ctx.RequireOrgVisible(orgno, "no such organisation");
  const std::string flag = ctx.Query("include_released");
  if (!flag.empty() && flag != "true" && flag != "false") {
    throw AppError(
        ErrorCode::kValidation, "include_released must be true or false", "",
        {{"include_released", "invalid_value", "include_released must be true or false"}});
  }
  if (!svc.organisations.Find(orgno)) throw AppError(ErrorCode::kNotFound, "no such organisation");
  Poco::JSON::Array items;
  for (const auto& user : svc.test_users.List(orgno, flag == "true")) items.add(TestUserJson(user));
  Poco::JSON::Object out;
  out.set("organisation", orgno);
  out.set("items", items);
  WriteJson(ctx, 200, out);
}

}  // namespace onboard::http::handlers
