#include "handlers.hpp"
#include "verification_codecs.hpp"

namespace onboard::http::handlers {

// DELETE /v1/organisations/{orgno}/test-users/{pid}: the operator releases a number. It
// stays bound to the organisation (never handed to another one); releasing it again
// changes nothing.
void TestUserDelete(RequestContext& ctx, AppServices& svc) {
  const domain::TestUser released =
      svc.use_cases.test_users.Release(ctx.UseCaseCaller(), ctx.Param("orgno"), ctx.Param("pid"));
  WriteJson(ctx, 200, *TestUserJson(released));
}

}  // namespace onboard::http::handlers
