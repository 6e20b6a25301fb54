#include "common_codecs.hpp"
#include "handlers.hpp"
#include "verification_codecs.hpp"

namespace onboard::http::handlers {

// GET /v1/organisations/{orgno}/test-users[?include_released=true]: the organisation's
// active test users, oldest first (released ones too when asked).
void TestUsersList(RequestContext& ctx, AppServices& svc) {
  const std::string& orgno = ctx.Param("orgno");
  const auto users =
      svc.use_cases.test_users.List(ctx.UseCaseCaller(), orgno, ctx.Query("include_released"));
  Poco::JSON::Object out = ListJson(users, TestUserJson);
  out.set("organisation", orgno);
  WriteJson(ctx, 200, out);
}

}  // namespace onboard::http::handlers
